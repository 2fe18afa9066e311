package web

import (
	"bytes"
	"hash/maphash"
	"html/template"
	"strconv"
	"sync"

	"quire/internal/archive"
	"quire/internal/site"
)

// fragmentCache keeps rendered parts of pages that are the same for every
// reader who is shown them, keyed by a hash of everything the part shows:
// a part is rendered again as soon as anything in it changed, and what a
// reader may see is decided before the data reaches it (a masked work's
// copy hashes differently from its creators' own). A part keeps a few
// variants at once (a guest's and a reader's comment forms, the reader's
// language), the one rendered last first.
type fragmentCache struct {
	mu    sync.Mutex
	m     map[fragmentID][]fragmentEntry
	bytes int
}

type fragmentID struct {
	name string // the template
	id   int64  // the work or chapter
}

type fragmentEntry struct {
	sum  uint64
	html template.HTML
}

const (
	maxCachedFragments = 100_000  // parts
	maxFragmentBytes   = 96 << 20 // of HTML, all parts together
	fragmentVariants   = 4        // kept per part
)

var fragmentSeed = maphash.MakeSeed()

// render returns template name executed on data, from the cache when the
// entry for (name, id) was rendered from data whose sum is the same.
func (c *fragmentCache) render(t *template.Template, name string, id int64, sum uint64, data any) (template.HTML, error) {
	k := fragmentID{name, id}
	c.mu.Lock()
	for _, e := range c.m[k] {
		if e.sum == sum {
			c.mu.Unlock()
			return e.html, nil
		}
	}
	c.mu.Unlock()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	h := template.HTML(buf.String()) // html/template output: already escaped
	if len(h) > maxFragmentBytes/64 {
		return h, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[fragmentID][]fragmentEntry{}
	}
	if len(c.m) >= maxCachedFragments || c.bytes+len(h) > maxFragmentBytes {
		n := max(1, len(c.m)/8)
		for k, es := range c.m {
			if n--; n < 0 {
				break
			}
			for _, e := range es {
				c.bytes -= len(e.html)
			}
			delete(c.m, k)
		}
	}
	es := c.m[k]
	for _, e := range es {
		if e.sum == sum { // another reader rendered it meanwhile
			return h, nil
		}
	}
	if len(es) >= fragmentVariants {
		c.bytes -= len(es[len(es)-1].html)
		es = es[:len(es)-1]
	}
	c.m[k] = append([]fragmentEntry{{sum, h}}, es...)
	c.bytes += len(h)
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

// commentsSum hashes everything the "comments" part shows of a chapter's
// thread to its viewer: each comment as the viewer sees it (author, text,
// dates, state, the buttons the viewer is offered, its place in the
// thread), the count, the form (a guest's asks for a name) and where its
// buttons return to.
func commentsSum(p *commentsPart) uint64 {
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
	num(p.Work.ID)
	num(p.Chapter.ID)
	num(int64(p.Count))
	flag(p.CanComment)
	flag(p.Guest)
	str(p.Closed)
	str(p.ReturnTo)
	num(p.FormAt)
	str(p.Body)
	str(p.Name)
	str(p.Email)
	num(p.ParentID)
	var walk func([]*site.CommentNode)
	walk = func(ns []*site.CommentNode) {
		for _, n := range ns {
			h.WriteByte(3)
			num(n.ID)
			str(n.Author())
			str(n.UserName)
			str(n.Body.HTML)
			str(n.Body.Source)
			str(string(n.Body.Format))
			num(n.CreatedAt.UnixNano())
			num(n.EditedAt.UnixNano())
			flag(n.Held)
			flag(n.Deleted)
			flag(n.Frozen)
			flag(n.Hidden)
			flag(n.CanReply)
			flag(n.CanEdit)
			flag(n.CanDelete)
			flag(n.CanModerate)
			flag(n.Staff)
			walk(n.Replies)
			h.WriteByte(4)
		}
	}
	walk(p.Thread)
	return h.Sum64()
}
