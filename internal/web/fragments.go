package web

import (
	"bytes"
	"hash/maphash"
	"html/template"
	"strconv"
	"sync"

	"quire/internal/archive"
)

// fragmentCache keeps rendered parts of pages that are the same for every
// reader who is shown them, keyed by a hash of everything the part shows:
// a part is rendered again as soon as anything in it changed, and what a
// reader may see is decided before the data reaches it (a masked work's
// copy hashes differently from its creators' own).
type fragmentCache struct {
	mu sync.Mutex
	m  map[fragmentID]fragmentEntry
}

type fragmentID struct {
	name string // the template
	id   int64  // the work
}

type fragmentEntry struct {
	sum  uint64
	html template.HTML
}

const maxCachedFragments = 100_000

var fragmentSeed = maphash.MakeSeed()

// render returns template name executed on data, from the cache when the
// entry for (name, id) was rendered from data whose sum is the same.
func (c *fragmentCache) render(t *template.Template, name string, id int64, sum uint64, data any) (template.HTML, error) {
	k := fragmentID{name, id}
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok && e.sum == sum {
		return e.html, nil
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	h := template.HTML(buf.String()) // html/template output: already escaped
	c.mu.Lock()
	if c.m == nil {
		c.m = map[fragmentID]fragmentEntry{}
	}
	if len(c.m) >= maxCachedFragments {
		n := len(c.m) / 8
		for k := range c.m {
			if n--; n < 0 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[k] = fragmentEntry{sum, h}
	c.mu.Unlock()
	return h, nil
}

// workHeadSum hashes everything the "work-head" part shows: the tags, the
// stats, the title, the creators and the recipients.
func workHeadSum(w *archive.Work) uint64 {
	var h maphash.Hash
	h.SetSeed(fragmentSeed)
	str := func(s string) {
		h.WriteString(s)
		h.WriteByte(0)
	}
	num := func(n int64) {
		var b [20]byte
		h.Write(strconv.AppendInt(b[:0], n, 10))
		h.WriteByte(0)
	}
	flag := func(b bool) {
		if b {
			h.WriteByte(1)
		} else {
			h.WriteByte(2)
		}
	}
	num(w.ID)
	str(w.Title)
	for _, t := range archive.TagTypes {
		for _, name := range w.Tags[t] {
			str(name)
		}
		h.WriteByte(1)
	}
	str(w.Language)
	num(w.PostedAt.UnixNano())
	num(w.UpdatedAt.UnixNano())
	num(int64(w.ChaptersPosted))
	num(int64(w.ChaptersExpected))
	num(int64(w.Words))
	num(w.Comments)
	num(w.Kudos)
	num(w.Hits)
	num(w.Bookmarks)
	flag(w.Draft)
	flag(w.Masked)
	flag(w.Mystery)
	for _, c := range w.Creators {
		str(c.Pseud)
		str(c.UserName)
	}
	h.WriteByte(1)
	for _, g := range w.Gifts {
		str(g.Name)
		num(g.UserID)
	}
	return h.Sum64()
}
