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

// fieldHash hashes a fragment's fields, each followed by a mark, so that
// two different runs of fields never hash alike by where they join.
type fieldHash struct{ maphash.Hash }

func (h *fieldHash) str(s string) {
	h.WriteString(s)
	h.WriteByte(0)
}

func (h *fieldHash) num(n int64) {
	var b [20]byte
	h.Write(strconv.AppendInt(b[:0], n, 10))
	h.WriteByte(0)
}

func (h *fieldHash) flag(b bool) {
	if b {
		h.WriteByte(1)
	} else {
		h.WriteByte(2)
	}
}

// workHeadSum hashes everything the "work-head" part shows: the tags, the
// stats, the title, the creators and the recipients.
func workHeadSum(w *archive.Work) uint64 {
	var h fieldHash
	h.SetSeed(fragmentSeed)
	h.num(w.ID)
	h.str(w.Title)
	for _, t := range archive.TagTypes {
		for _, name := range w.Tags[t] {
			h.str(name)
		}
		h.WriteByte(1)
	}
	h.str(w.Language)
	h.num(w.PostedAt.UnixNano())
	h.num(w.UpdatedAt.UnixNano())
	h.num(int64(w.ChaptersPosted))
	h.num(int64(w.ChaptersExpected))
	h.num(int64(w.Words))
	h.num(w.Comments)
	h.num(w.Kudos)
	h.num(w.Hits)
	h.num(w.Bookmarks)
	h.flag(w.Draft)
	h.flag(w.Masked)
	h.flag(w.Mystery)
	for _, c := range w.Creators {
		h.str(c.Pseud)
		h.str(c.UserName)
	}
	h.WriteByte(1)
	for _, g := range w.Gifts {
		h.str(g.Name)
		h.num(g.UserID)
	}
	return h.Sum64()
}

// commentsSum hashes everything the "comments" part shows of a chapter's
// thread to its viewer: each comment as the viewer sees it (author, text,
// dates, state, the buttons the viewer is offered, its place in the
// thread), the count, the form (a guest's asks for a name) and where its
// buttons return to.
func commentsSum(p *commentsPart) uint64 {
	var h fieldHash
	h.SetSeed(fragmentSeed)
	h.num(p.Work.ID)
	h.num(p.Chapter.ID)
	h.num(int64(p.Count))
	h.flag(p.CanComment)
	h.flag(p.Guest)
	h.str(p.Closed)
	h.str(p.ReturnTo)
	h.num(p.FormAt)
	h.str(p.Body)
	h.str(p.Name)
	h.str(p.Email)
	h.num(p.ParentID)
	var walk func([]*site.CommentNode)
	walk = func(ns []*site.CommentNode) {
		for _, n := range ns {
			h.WriteByte(3)
			h.num(n.ID)
			h.str(n.Author())
			h.str(n.UserName)
			h.str(n.Body.HTML)
			h.str(n.Body.Source)
			h.str(string(n.Body.Format))
			h.num(n.CreatedAt.UnixNano())
			h.num(n.EditedAt.UnixNano())
			h.flag(n.Held)
			h.flag(n.Deleted)
			h.flag(n.Frozen)
			h.flag(n.Hidden)
			h.flag(n.CanReply)
			h.flag(n.CanEdit)
			h.flag(n.CanDelete)
			h.flag(n.CanModerate)
			h.flag(n.Staff)
			walk(n.Replies)
			h.WriteByte(4)
		}
	}
	walk(p.Thread)
	return h.Sum64()
}
