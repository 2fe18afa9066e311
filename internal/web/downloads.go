package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/formats/pdf"
	"quire/internal/httperr"
)

// downloadFormat is one file type readers can take away.
type downloadFormat struct {
	ext         string
	contentType string
	write       func(io.Writer, *archive.Work, []*archive.Chapter, formats.SiteInfo) error
}

var downloadFormats = map[string]downloadFormat{
	"epub": {"epub", "application/epub+zip", formats.EPUB},
	"html": {"html", "text/html; charset=utf-8", formats.HTMLDocument},
	// Made by a printer and a converter the operator may not have.
	"pdf":  {"pdf", "application/pdf", nil},
	"azw3": {"azw3", "application/vnd.amazon.ebook", nil},
}

// downloads serves /downloads/{id}/{slug}.{epub,html}. Files are generated
// once per work version and kept in a small cache; the version key (a hash
// of everything the file shows) is also the ETag, so a reader's
// If-None-Match is answered without generating anything.
type downloads struct {
	srv   *Server
	cache *fileCache

	mu     sync.Mutex
	flight map[string]*making // files being made, by key
}

// making is one file being made; those who asked for it meanwhile wait.
type making struct {
	done chan struct{}
	body []byte
	err  error
}

func (srv *Server) downloads() http.Handler {
	return &downloads{srv: srv, cache: newFileCache(64, 128<<20), flight: map[string]*making{}}
}

// once makes the file of key once, however many readers ask for it at
// the same time, and caches it.
func (d *downloads) once(ctx context.Context, key string, build func() ([]byte, error)) ([]byte, error) {
	if body, ok := d.cache.get(key); ok {
		return body, nil
	}
	d.mu.Lock()
	m := d.flight[key]
	if m == nil {
		m = &making{done: make(chan struct{})}
		d.flight[key] = m
		d.mu.Unlock()
		m.body, m.err = build()
		if m.err == nil {
			d.cache.put(key, m.body)
		}
		d.mu.Lock()
		delete(d.flight, key)
		d.mu.Unlock()
		close(m.done)
	} else {
		d.mu.Unlock()
	}
	select {
	case <-m.done:
		return m.body, m.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// paperFor is the paper a PDF is printed on: ?paper=a4|letter, else
// Letter for readers whose first language names a region that uses it
// (the Americas' Letter countries and the Philippines), else A4.
func paperFor(r *http.Request) string {
	switch strings.ToLower(r.URL.Query().Get("paper")) {
	case pdf.A4:
		return pdf.A4
	case pdf.Letter:
		return pdf.Letter
	}
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	first, _, _ = strings.Cut(strings.TrimSpace(first), ";")
	if _, region, ok := strings.Cut(strings.ReplaceAll(first, "_", "-"), "-"); ok {
		switch strings.ToUpper(region) {
		case "US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "PR", "SV", "NI", "HN", "BZ":
			return pdf.Letter
		}
	}
	return pdf.A4
}

func (d *downloads) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.srv.page(d.serve)(w, r) }

func (d *downloads) serve(w http.ResponseWriter, r *http.Request) error {
	srv := d.srv
	ctx := r.Context()
	file := r.PathValue("file")
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		return archive.ErrNotFound
	}
	f, ok := downloadFormats[file[dot+1:]]
	if !ok || f.ext == "pdf" && srv.opt.PDF == nil || f.ext == "azw3" && srv.opt.Kindle == nil {
		return archive.ErrNotFound
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	work, err := srv.site.Work(ctx, currentUser(r), id)
	if err != nil {
		return err
	}
	// Drafts and hidden works are never downloadable, not even by their
	// creators; the file is the one every reader gets, so it holds only
	// posted chapters (and may be cached for all of them).
	if work.Draft || work.Hidden {
		return archive.ErrNotFound
	}
	chapters, err := srv.site.Chapters(ctx, nil, work, false)
	if err != nil {
		return err
	}
	info := formats.SiteInfo{Name: srv.site.Name, WorkURL: srv.absURL("/works/" + strconv.FormatInt(work.ID, 10)), Modified: versionTime(work, chapters)}
	refs, err := srv.site.SeriesRefs(ctx, []int64{work.ID})
	if err != nil {
		return err
	}
	for _, s := range refs[work.ID] {
		info.Series = append(info.Series, formats.SeriesInfo{Title: s.Title, Position: s.Position, URL: srv.absURL("/series/" + strconv.FormatInt(s.ID, 10))})
	}
	images := d.images(f)
	variant := imageMode(images)
	paper := ""
	if f.ext == "pdf" {
		paper = paperFor(r)
		variant += "/" + paper
		w.Header().Add("Vary", "Accept-Language")
	}
	key := f.ext + "-" + versionKey(work, chapters, info, variant)
	etag := `"` + key + `"`
	h := w.Header()
	h.Set("ETag", etag)
	if work.Restricted {
		h.Set("Cache-Control", "private, no-cache")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	// Not the request's context: a reader who goes away must not leave
	// a book half made for the others waiting on it. The fetcher's,
	// printer's and converter's time limits bound the wait.
	bg := context.WithoutCancel(ctx)
	body, err := d.once(ctx, key, func() ([]byte, error) {
		full, err := srv.site.Chapters(bg, nil, work, true)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		switch {
		case f.ext == "pdf":
			err = srv.opt.PDF.Print(bg, &buf, work, full, info, paper)
		case f.ext == "azw3":
			var epub bytes.Buffer
			if err = formats.EPUB(&epub, work, full, info); err == nil {
				err = srv.opt.Kindle.AZW3(bg, &buf, epub.Bytes())
			}
		case images != nil:
			err = formats.EPUBWithImages(bg, &buf, work, full, info, images)
		default:
			err = f.write(&buf, work, full, info)
		}
		if err != nil {
			return nil, fmt.Errorf("download work %d as %s: %w", work.ID, f.ext, err)
		}
		return buf.Bytes(), nil
	})
	if err != nil && (f.ext == "pdf" || f.ext == "azw3") && ctx.Err() == nil {
		// The printer or converter was busy, too slow or failed: a
		// passing condition for the reader, logged for the operator.
		srv.log.Warn("download not made", "work", work.ID, "format", f.ext, "err", err)
		he := httperr.New(http.StatusServiceUnavailable, "busy", "this "+strings.ToUpper(f.ext)+" could not be made just now; please try again in a minute")
		he.RetryAfter = time.Minute
		return he
	}
	if err != nil {
		return err
	}
	h.Set("Content-Type", f.contentType)
	h.Set("Content-Disposition", attachment(work.Title, work.ID, f.ext))
	// The file is meant to be saved, never rendered as a page of this site.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	// No modification time: the ETag alone decides, since a version can
	// change without a newer date (a renamed pseud).
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	return nil
}

// images is the fetcher for format f's remote images, nil when it has none.
func (d *downloads) images(f downloadFormat) *formats.ImageFetcher {
	if f.ext != "epub" {
		return nil
	}
	return d.srv.opt.EPUBImages
}

// imageMode names how a file treats remote images, so that a change of
// the operator's option (between runs) changes the ETag.
func imageMode(f *formats.ImageFetcher) string {
	if f == nil {
		return "links"
	}
	o := f.Options()
	return "fetch/" + strconv.FormatInt(o.MaxBytes, 10) + "/" + strconv.Itoa(o.MaxImages)
}

// versionTime is when a work or any of its posted chapters last changed.
func versionTime(w *archive.Work, chapters []*archive.Chapter) time.Time {
	t := w.PostedAt
	for _, x := range []time.Time{w.UpdatedAt, w.EditedAt} {
		if x.After(t) {
			t = x
		}
	}
	for _, c := range chapters {
		if c.UpdatedAt.After(t) {
			t = c.UpdatedAt
		}
	}
	return t.UTC().Truncate(time.Second)
}

// downloadVersion changes when the generated files change shape.
const downloadVersion = "2"

// versionKey hashes everything a download shows, so any edit — to the
// work, a chapter, the chapter order, a pseud, the site's name — makes a
// new key, and hits or kudos don't.
func versionKey(w *archive.Work, chapters []*archive.Chapter, info formats.SiteInfo, images string) string {
	h := sha256.New()
	put := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(strconv.Itoa(len(p))))
			h.Write([]byte{':'})
			h.Write([]byte(p))
		}
	}
	ts := func(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }
	put(downloadVersion, images, info.Name, info.WorkURL, ts(info.Modified), strconv.FormatInt(w.ID, 10), w.Title, w.Language,
		w.Summary.HTML, w.Notes.HTML, w.EndNotes.HTML, ts(w.PostedAt), ts(w.UpdatedAt), ts(w.EditedAt),
		strconv.Itoa(w.Words), strconv.Itoa(w.ChaptersPosted), strconv.Itoa(w.ChaptersExpected))
	for _, c := range w.Creators {
		put("creator", c.Pseud)
	}
	for _, s := range info.Series {
		put("series", s.Title, strconv.Itoa(s.Position), s.URL)
	}
	for _, t := range archive.TagTypes {
		put("type", string(t))
		put(w.Tags[t]...)
	}
	for _, c := range chapters {
		put("chapter", strconv.FormatInt(c.ID, 10), strconv.Itoa(c.Position), ts(c.UpdatedAt), ts(c.PostedAt))
		for _, cr := range archive.ChapterByline(w, c) {
			put("chapter creator", cr.Pseud)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// etagMatch implements If-None-Match's weak comparison.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// attachment is a Content-Disposition naming the file after the work: an
// ASCII name for old clients and the full title (RFC 6266) for the rest.
func attachment(title string, id int64, ext string) string {
	ascii := fileName(title, true)
	if ascii == "" {
		ascii = "work-" + strconv.FormatInt(id, 10)
	}
	v := `attachment; filename="` + ascii + "." + ext + `"`
	if full := fileName(title, false); full != "" && full != ascii {
		v += "; filename*=UTF-8''" + url.PathEscape(full+"."+ext)
	}
	return v
}

// fileName keeps letters, digits, spaces, '-' and '_' of a title (ASCII
// ones only when ascii, accents dropped), joined by underscores, at most 80
// characters.
func fileName(title string, ascii bool) string {
	if ascii {
		title = norm.NFD.String(title) // "Ö" → "O" + a mark, dropped below
	} else {
		title = norm.NFC.String(title)
	}
	var words []string
	for _, f := range strings.Fields(title) {
		var b strings.Builder
		for _, r := range f {
			ok := r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
			if ascii && r > unicode.MaxASCII {
				ok = false
			}
			if ok {
				b.WriteRune(r)
			}
		}
		if b.Len() > 0 {
			words = append(words, b.String())
		}
	}
	s := []rune(strings.Join(words, "_"))
	if len(s) > 80 {
		s = s[:80]
	}
	return strings.Trim(string(s), "_-")
}

// absURL makes a site path absolute with the configured base URL.
func (srv *Server) absURL(path string) string {
	return strings.TrimRight(srv.site.BaseURL, "/") + path
}

// downloadLinks are the work page's "Download: EPUB · HTML" links.
type downloadLinks struct {
	EPUB, HTML, PDF, AZW3, Feed string
}

// Downloads links a work page to its downloads and chapter feed; drafts
// and hidden works have none.
func (p *workPage) Downloads() *downloadLinks {
	w := p.Work
	if w == nil || w.Draft || w.Hidden {
		return nil
	}
	id := strconv.FormatInt(w.ID, 10)
	slug := url.PathEscape(strings.ToLower(fileName(w.Title, true)))
	if slug == "" {
		slug = "work-" + id
	}
	base := "/downloads/" + id + "/" + slug
	l := &downloadLinks{EPUB: base + ".epub", HTML: base + ".html"}
	if p.pdf {
		l.PDF = base + ".pdf"
	}
	if p.kindle {
		l.AZW3 = base + ".azw3"
	}
	if !w.Restricted {
		l.Feed = "/works/" + id + "/feed.atom"
	}
	return l
}

// fileCache keeps recently generated files, by version key, within a count
// and a byte budget; the least recently used go first.
type fileCache struct {
	mu       sync.Mutex
	m        map[string]*cachedFile
	tick     uint64
	size     int
	maxFiles int
	maxBytes int
}

type cachedFile struct {
	body []byte
	used uint64
}

func newFileCache(maxFiles, maxBytes int) *fileCache {
	return &fileCache{m: map[string]*cachedFile{}, maxFiles: maxFiles, maxBytes: maxBytes}
}

func (c *fileCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.m[key]
	if f == nil {
		return nil, false
	}
	c.tick++
	f.used = c.tick
	return f.body, true
}

func (c *fileCache) put(key string, body []byte) {
	if len(body) > c.maxBytes/4 {
		return // one huge work must not push out everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[key]; old != nil {
		c.size -= len(old.body)
	}
	c.tick++
	c.m[key] = &cachedFile{body: body, used: c.tick}
	c.size += len(body)
	for len(c.m) > c.maxFiles || c.size > c.maxBytes {
		var oldest string
		var at uint64
		for k, f := range c.m {
			if oldest == "" || f.used < at {
				oldest, at = k, f.used
			}
		}
		c.size -= len(c.m[oldest].body)
		delete(c.m, oldest)
	}
}
