package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"quire/internal/archive"
	"quire/internal/i18n"
)

// pageData is what every template gets; P holds the page's own data.
type pageData struct {
	Title   string
	User    *archive.User
	Message string
	Errors  []string
	Path    string
	// Banner is the site banner, unless the reader dismissed it (banner.go).
	Banner siteBanner
	// Lang is the page's locale (locale.go); Locales the footer's switch.
	Lang    *i18n.Locale
	Locales []localeOption
	// Here is the page's address for the language switch to come back
	// to, without a return_to of its own (which may be hostile).
	Here string
	P    any
}

// pages is every page template, each parsed once with the layout and partials.
type pages struct {
	sets map[string]*template.Template // parsed, never executed: the clones' source

	mu       sync.RWMutex
	byReader map[string]*readerPages // reader key → that reader's clones (locale.go)
}

var funcs = template.FuncMap{
	"tagURL":   func(name string) string { return "/tags/" + url.PathEscape(archive.EscapeTagURL(name)) },
	"tagWorks": func(name string) string { return "/tags/" + url.PathEscape(archive.EscapeTagURL(name)) + "/works" },
	"mediaURL": func(name string) string { return "/media/" + url.PathEscape(archive.EscapeTagURL(name)) + "/fandoms" },
	"userURL":  func(name string) string { return "/users/" + url.PathEscape(name) },
	"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"num":      formatNum,
	"chapters": func(posted, expected int) string {
		if expected == 0 {
			return strconv.Itoa(posted) + "/?"
		}
		return strconv.Itoa(posted) + "/" + strconv.Itoa(expected)
	},
	"langName":   archive.LanguageName,
	"pageNums":   pageNums,
	"media":      func() []string { return archive.Media },
	"maxComment": func() int { return archive.MaxCommentChars },
	"html":       func(s string) template.HTML { return template.HTML(s) }, // only ever called on sanitizer output
	"reading":    readingClasses,
	"join":       strings.Join,
	"add":        func(a, b int) int { return a + b },
	"sub":        func(a, b int) int { return a - b },
	"tags":       func(w *archive.Work, t string) []string { return w.Tags[archive.TagType(t)] },
	"label":      func(t archive.TagType) string { return t.Label() },
	"adult":      archive.IsAdult,
	"lower":      strings.ToLower,
	// bmMeta hands a bookmark to its byline partial, with whether the
	// reader owns it (their edit and delete buttons).
	"bmMeta": func(b *archive.Bookmark, own bool) any {
		return struct {
			B   *archive.Bookmark
			Own bool
		}{b, own}
	},
	// suspended: the signed-in account may not write now (the banner).
	"suspended": func(u *archive.User) bool { return u.Suspended(time.Now()) },
	"ratingClass": func(r string) string {
		switch r {
		case archive.RatingGeneral:
			return "rating-general"
		case archive.RatingTeen:
			return "rating-teen"
		case archive.RatingMature:
			return "rating-mature"
		case archive.RatingExplicit:
			return "rating-explicit"
		}
		return "rating-notrated"
	},
	"hasWarning": func(w *archive.Work) bool {
		for _, x := range w.Tags[archive.TypeWarning] {
			if x != archive.WarningNone && x != archive.WarningChoseNot {
				return true
			}
		}
		return false
	},
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}

func formatNum(n any) string {
	var v int64
	switch x := n.(type) {
	case int:
		v = int64(x)
	case int64:
		v = x
	}
	s := strconv.FormatInt(v, 10)
	if v < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func loadPages() (*pages, error) {
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var shared []string
	var pageFiles []string
	for _, f := range files {
		base := path.Base(f)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			shared = append(shared, f)
		} else {
			pageFiles = append(pageFiles, f)
		}
	}
	p := &pages{sets: map[string]*template.Template{}, byReader: map[string]*readerPages{}}
	for _, f := range pageFiles {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New("layout.html").Funcs(funcs).Funcs(localeStubs).ParseFS(assets, append(append([]string{}, shared...), f)...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// render writes a page inside the layout.
func (srv *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	rd := srv.readerOf(r)
	t := srv.pages.set(rd, name)
	if t == nil {
		srv.log.Error("no template", "name", name)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	d.User = currentUser(r)
	d.Path = r.URL.RequestURI()
	d.Banner = srv.bannerFor(r)
	d.Lang = rd.loc
	d.Locales = srv.localeOptions(rd.loc)
	d.Here = r.URL.Path
	if q := r.URL.Query(); len(q) > 0 {
		q.Del("return_to")
		if len(q) > 0 {
			d.Here += "?" + q.Encode()
		}
	}
	// A title or message is looked up only when it is a message: one a
	// handler built (srv.tr, a work's title in it) is shown as it is, so a
	// "{0}" in a user's text is never taken for an argument.
	if !userTitled[name] && rd.loc.Has(d.Title) {
		d.Title = rd.loc.T(d.Title)
	}
	if d.Message != "" && rd.loc.Has(d.Message) {
		d.Message = rd.loc.T(d.Message)
	}
	buf, _ := srv.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer srv.putBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout.html", d); err != nil {
		srv.log.Error("render", "template", name, "err", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len())) // one write, no chunk framing
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// userTitled are the pages whose title is a user's text (a work's, a
// tag's name), never looked up in the catalog.
var userTitled = map[string]bool{"work": true, "series": true, "tag": true, "tag_edit": true, "user": true,
	"collection": true, "collection_items": true, "news_post": true, "pseuds": true, "medium_fandoms": true}

// putBuffer keeps a rendered page's buffer for the next page (srv.buffers):
// a listing page is tens of kilobytes, and growing a fresh buffer to that
// size for every request was most of what a page allocated.
func (srv *Server) putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // a rare huge page (an entire long work) is not kept
		return
	}
	b.Reset()
	srv.buffers.Put(b)
}

// readingClasses turns a reader's settings into body classes (the CSP
// allows no inline style): text size in 10% steps, line width in 10ch
// steps, and a forced light or dark theme.
func readingClasses(p archive.Preferences) string {
	var cls []string
	if p.FontSize > 0 {
		cls = append(cls, "font-"+strconv.Itoa(min(200, max(50, (p.FontSize+5)/10*10))))
	}
	if p.LineWidth > 0 {
		cls = append(cls, "width-"+strconv.Itoa(min(120, max(30, (p.LineWidth+5)/10*10))))
	}
	if p.Theme == "light" || p.Theme == "dark" {
		cls = append(cls, "theme-"+p.Theme)
	}
	return strings.Join(cls, " ")
}

// pageNums lists the page numbers a pager links: the first, the last and
// two either side of the current page, 0 where numbers are left out.
func pageNums(cur, last int) []int {
	var out []int
	for n := 1; n <= last; n++ {
		switch {
		case n == 1 || n == last || n >= cur-2 && n <= cur+2:
			out = append(out, n)
		case len(out) > 0 && out[len(out)-1] != 0:
			out = append(out, 0)
		}
		if n > 1 && n < cur-2 {
			n = cur - 3 // skip to the window
		} else if n > cur+2 && n < last-1 {
			n = last - 1
		}
	}
	return out
}
