package listing

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/store"
)

// Bookmarks is the index of work bookmarks that answers every bookmark
// listing (/bookmarks, a tag's, a work's, a user's): which bookmarks a
// reader may see that match the filters, how many, in what order, and
// the facets over the bookmarked works' tags and the bookmarkers' own
// tags. It is built like the works index: from the store at start, then
// kept by every write. Filters on the bookmarked work are answered by the
// works index (so the filter rule, visibility, mutes and hidden works are
// decided in one place); this index maps those works to their bookmarks.
type Bookmarks struct {
	works *Index

	mu      sync.RWMutex
	work    []uint32 // bookmark id -> work id (0: the work is gone)
	user    []int64  // bookmark id -> bookmarker
	created []int64  // bookmark id -> Unix seconds
	tags    [][]uint32
	all     *roaring.Bitmap
	private *roaring.Bitmap // private, or of a banned account
	rec     *roaring.Bitmap
	gone    *roaring.Bitmap // bookmarks whose work is gone
	byWork  map[uint32]*posting
	byUser  map[int64]*posting
	byTag   map[uint32]*posting
	tagIdx  map[string]uint32 // lower-cased bookmarker tag -> id
	tagName []string          // id -> the name as first written
	// byDate is every bookmark by date bookmarked, ascending, ties by id
	// ascending: a page of a large result is a short walk backwards.
	byDate []uint32
}

// NewBookmarks returns an empty bookmark index over a works index.
func NewBookmarks(works *Index) *Bookmarks {
	return &Bookmarks{works: works, all: roaring.New(), private: roaring.New(), rec: roaring.New(), gone: roaring.New(),
		byWork: map[uint32]*posting{}, byUser: map[int64]*posting{}, byTag: map[uint32]*posting{},
		tagIdx: map[string]uint32{}, tagName: []string{""}}
}

// BookmarkSource is what BuildBookmarks reads.
type BookmarkSource interface {
	BookmarkRows(ctx context.Context, fn func(store.BookmarkRow) error) error
}

// BuildBookmarks loads every work bookmark from the store.
func BuildBookmarks(ctx context.Context, src BookmarkSource, works *Index) (*Bookmarks, error) {
	bx := NewBookmarks(works)
	bx.mu.Lock()
	defer bx.mu.Unlock()
	err := src.BookmarkRows(ctx, func(r store.BookmarkRow) error {
		if r.ID > 0 && r.ID <= math.MaxUint32 {
			bx.put(r, false)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	bx.sortDates()
	return bx, nil
}

// Len is the number of bookmarks indexed.
func (bx *Bookmarks) Len() int {
	bx.mu.RLock()
	defer bx.mu.RUnlock()
	return int(bx.all.GetCardinality())
}

// Replace makes the index hold exactly rows for one work (byUser false)
// or one user (byUser true): the bookmarks of that work or user it held
// and that rows lack are removed.
func (bx *Bookmarks) Replace(id int64, byUser bool, rows []store.BookmarkRow) {
	bx.mu.Lock()
	defer bx.mu.Unlock()
	var p *posting
	if byUser {
		p = bx.byUser[id]
	} else if id > 0 && id <= math.MaxUint32 {
		p = bx.byWork[uint32(id)]
	}
	keep := map[uint32]bool{}
	for _, r := range rows {
		if r.ID > 0 && r.ID <= math.MaxUint32 {
			keep[uint32(r.ID)] = true
		}
	}
	if p != nil {
		for _, b := range p.bitmap().ToArray() {
			if !keep[b] {
				bx.remove(b)
			}
		}
	}
	for _, r := range rows {
		if r.ID > 0 && r.ID <= math.MaxUint32 {
			bx.put(r, true)
		}
	}
}

// WorkGone marks the bookmarks of a deleted work as gone: they stay (the
// store keeps them, their work cleared) but only their owners see them.
func (bx *Bookmarks) WorkGone(workID int64) {
	if workID <= 0 || workID > math.MaxUint32 {
		return
	}
	bx.mu.Lock()
	defer bx.mu.Unlock()
	p := bx.byWork[uint32(workID)]
	if p == nil {
		return
	}
	for _, id := range p.bitmap().ToArray() {
		bx.work[id] = 0
		bx.gone.Add(id)
	}
	delete(bx.byWork, uint32(workID))
}

// Remove drops one bookmark.
func (bx *Bookmarks) Remove(id int64) {
	if id <= 0 || id > math.MaxUint32 {
		return
	}
	bx.mu.Lock()
	defer bx.mu.Unlock()
	bx.remove(uint32(id))
}

func (bx *Bookmarks) put(r store.BookmarkRow, keepOrder bool) {
	id := uint32(r.ID)
	if bx.all.Contains(id) {
		bx.remove(id)
	}
	n := int(id) + 1
	bx.work, bx.user, bx.created, bx.tags = growTo(bx.work, n), growTo(bx.user, n), growTo(bx.created, n), growTo(bx.tags, n)
	w := uint32(0)
	if r.WorkID > 0 && r.WorkID <= math.MaxUint32 {
		w = uint32(r.WorkID)
	}
	bx.work[id], bx.user[id], bx.created[id] = w, r.UserID, r.CreatedAt
	var ts []uint32
	for _, name := range r.Tags {
		key := strings.ToLower(name)
		t, ok := bx.tagIdx[key]
		if !ok {
			t = uint32(len(bx.tagName))
			bx.tagIdx[key] = t
			bx.tagName = append(bx.tagName, name)
		}
		if !slices.Contains(ts, t) {
			ts = append(ts, t)
			postingOf(bx.byTag, t).add(id)
		}
	}
	bx.tags[id] = ts
	bx.all.Add(id)
	if r.Private {
		bx.private.Add(id)
	}
	if r.Rec {
		bx.rec.Add(id)
	}
	if w == 0 {
		bx.gone.Add(id)
	} else {
		postingOf(bx.byWork, w).add(id)
	}
	postingOf(bx.byUser, r.UserID).add(id)
	if keepOrder {
		i := sort.Search(len(bx.byDate), func(i int) bool { return !bx.dateBefore(bx.byDate[i], id) })
		bx.byDate = slices.Insert(bx.byDate, i, id)
	} else {
		bx.byDate = append(bx.byDate, id)
	}
}

func (bx *Bookmarks) remove(id uint32) {
	if !bx.all.Contains(id) {
		return
	}
	i := sort.Search(len(bx.byDate), func(i int) bool { return !bx.dateBefore(bx.byDate[i], id) })
	if i < len(bx.byDate) && bx.byDate[i] == id {
		bx.byDate = slices.Delete(bx.byDate, i, i+1)
	} else if j := slices.Index(bx.byDate, id); j >= 0 {
		bx.byDate = slices.Delete(bx.byDate, j, j+1)
	}
	bx.all.Remove(id)
	bx.private.Remove(id)
	bx.rec.Remove(id)
	bx.gone.Remove(id)
	if p := bx.byWork[bx.work[id]]; p != nil {
		p.remove(id)
		if p.bitmapLen() == 0 {
			delete(bx.byWork, bx.work[id])
		}
	}
	if p := bx.byUser[bx.user[id]]; p != nil {
		p.remove(id)
		if p.bitmapLen() == 0 {
			delete(bx.byUser, bx.user[id])
		}
	}
	for _, t := range bx.tags[id] {
		if p := bx.byTag[t]; p != nil {
			p.remove(id)
		}
	}
	bx.tags[id] = nil
}

func postingOf[K comparable](m map[K]*posting, k K) *posting {
	p := m[k]
	if p == nil {
		p = &posting{}
		m[k] = p
	}
	return p
}

func (bx *Bookmarks) dateBefore(a, b uint32) bool {
	if bx.created[a] != bx.created[b] {
		return bx.created[a] < bx.created[b]
	}
	return a < b
}

func (bx *Bookmarks) sortDates() {
	slices.SortFunc(bx.byDate, func(a, b uint32) int {
		if c := cmp.Compare(bx.created[a], bx.created[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// BookmarkSorts are the bookmark listing's sorts: the date bookmarked
// (AO3's default) and the bookmarked work's date updated.
var BookmarkSorts = []string{"bookmarked", "updated"}

// MaxBookmarkTagFilters bounds the bookmarker tags one query may name.
const MaxBookmarkTagFilters = 20

// BookmarkQuery is one bookmark listing request.
type BookmarkQuery struct {
	// Work filters the bookmarked works as a works listing would (its
	// Sort, Page and PerPage are not used).
	Work Query
	// WorkID and UserID restrict to one work's or one bookmarker's bookmarks.
	WorkID, UserID int64
	// Tags and ExcludeTags are bookmarkers' own tags (case-insensitive).
	Tags, ExcludeTags []string
	Rec               bool
	SkipFacets        bool
	Sort              string // bookmarked (default) or updated
	Order             string // desc (default) or asc
	Page, PerPage     int
}

// Normalize fills defaults and checks ranges; it returns a ValidationError.
func (q *BookmarkQuery) Normalize() error {
	if q.Sort == "" {
		q.Sort = "bookmarked"
	}
	if !slices.Contains(BookmarkSorts, q.Sort) {
		return archive.Invalid("sort", "%q is not a bookmark sort; use one of %s", q.Sort, strings.Join(BookmarkSorts, ", "))
	}
	if len(q.Tags)+len(q.ExcludeTags) > MaxBookmarkTagFilters {
		return archive.Invalid("bookmark_tags", "at most %d bookmarker's tags may be given", MaxBookmarkTagFilters)
	}
	switch q.Order {
	case "":
		q.Order = "desc"
	case "asc", "desc":
	default:
		return archive.Invalid("order", "must be asc or desc")
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 || q.Page > MaxPage {
		return archive.Invalid("page", "must be a whole number from 1 to %d", MaxPage)
	}
	if q.PerPage == 0 {
		q.PerPage = 20
	}
	if q.PerPage < 1 || q.PerPage > 100 {
		return archive.Invalid("per_page", "must be between 1 and 100")
	}
	w := q.Work
	w.Sort, w.Order, w.Page, w.PerPage = "", "", 0, 0
	return w.Normalize()
}

// WorkFiltered reports whether the query narrows the bookmarked works.
func (q *BookmarkQuery) WorkFiltered() bool {
	return q.Work.filtered() || len(q.Work.Only) > 0 || len(q.Work.Without) > 0 || q.Work.CreatorUserID != 0 || len(q.Work.Collections) > 0
}

// BookmarkResult is one page of a bookmark listing.
type BookmarkResult struct {
	Total, Page, PerPage int
	IDs                  []int64
	// Facets count bookmarks (not works) per tag of the bookmarked works;
	// BookmarkerTags count them per bookmarker's tag.
	Facets         map[archive.TagType][]Facet
	BookmarkerTags []Facet
}

// Search runs a bookmark query for a viewer. Others' private bookmarks
// (and a banned account's) are never counted; the owner's own listing
// (UserID is the viewer) shows their private ones and, while no work
// filter is set, those whose work is gone or no longer visible.
func (bx *Bookmarks) Search(q BookmarkQuery, v Viewer) (BookmarkResult, error) {
	if err := q.Normalize(); err != nil {
		return BookmarkResult{}, err
	}
	bx.mu.RLock()
	defer bx.mu.RUnlock()
	ix := bx.works
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ws, _, _, err := ix.match(q.Work, v)
	if err != nil {
		return BookmarkResult{}, err
	}
	own := q.UserID != 0 && q.UserID == v.UserID
	c, err := bx.candidates(q, v, own)
	if err != nil {
		return BookmarkResult{}, err
	}
	if !own || q.WorkFiltered() {
		c = bx.keepWorks(c, ws)
	}
	total := int(c.GetCardinality())
	res := BookmarkResult{Total: total, Page: q.Page, PerPage: q.PerPage}
	res.IDs = bx.page(c, total, q)
	if !q.SkipFacets {
		res.Facets, res.BookmarkerTags = bx.facets(c)
	}
	return res, nil
}

// candidates is the bookmarks the query's own fields allow the viewer.
func (bx *Bookmarks) candidates(q BookmarkQuery, v Viewer, own bool) (*roaring.Bitmap, error) {
	in := []*roaring.Bitmap{bx.all}
	empty := false
	if q.UserID != 0 {
		if p := bx.byUser[q.UserID]; p != nil {
			in = append(in, p.bitmap())
		} else {
			empty = true
		}
	}
	if q.WorkID != 0 {
		if p := bx.byWork[uint32(min(max(q.WorkID, 0), math.MaxUint32))]; p != nil {
			in = append(in, p.bitmap())
		} else {
			empty = true
		}
	}
	if q.Rec {
		in = append(in, bx.rec)
	}
	for _, t := range q.Tags {
		id, ok := bx.tagIdx[strings.ToLower(strings.TrimSpace(t))]
		if !ok || bx.byTag[id] == nil {
			empty = true
			continue
		}
		in = append(in, bx.byTag[id].bitmap())
	}
	if empty {
		return roaring.New(), nil
	}
	slices.SortFunc(in, func(x, y *roaring.Bitmap) int { return cmp.Compare(x.GetCardinality(), y.GetCardinality()) })
	c := in[0].Clone()
	for _, s := range in[1:] {
		c.And(s)
	}
	for _, t := range q.ExcludeTags {
		if id, ok := bx.tagIdx[strings.ToLower(strings.TrimSpace(t))]; ok && bx.byTag[id] != nil {
			bx.byTag[id].removeFrom(c)
		}
	}
	if own {
		// The owner's private bookmarks are theirs to see; nobody else's.
		priv := bx.private.Clone()
		if p := bx.byUser[v.UserID]; p != nil {
			priv.AndNot(p.bitmap())
		}
		c.AndNot(priv)
	} else {
		c.AndNot(bx.private)
	}
	for _, u := range v.MutedUsers {
		if p := bx.byUser[u]; p != nil && u != v.UserID {
			p.removeFrom(c)
		}
	}
	return c, nil
}

// keepWorks returns the bookmarks of c whose work is in ws: each is
// checked against ws, in a flat bitset when c is large.
func (bx *Bookmarks) keepWorks(c, ws *roaring.Bitmap) *roaring.Bitmap {
	c.AndNot(bx.gone)
	contains := ws.Contains
	if c.GetCardinality() > 4096 && !ws.IsEmpty() {
		bits := make([]uint64, ws.Maximum()/64+1)
		it := ws.ManyIterator()
		buf := make([]uint32, 512)
		for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
			for _, w := range buf[:k] {
				bits[w>>6] |= 1 << (w & 63)
			}
		}
		contains = func(w uint32) bool { return int(w>>6) < len(bits) && bits[w>>6]&(1<<(w&63)) != 0 }
	}
	kept := make([]uint32, 0, 1024)
	it := c.ManyIterator()
	buf := make([]uint32, 512)
	for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
		for _, id := range buf[:k] {
			if contains(bx.work[id]) {
				kept = append(kept, id)
			}
		}
	}
	out := roaring.New()
	out.AddMany(kept)
	return out
}

// page returns the page's bookmark ids in the query's order.
func (bx *Bookmarks) page(c *roaring.Bitmap, total int, q BookmarkQuery) []int64 {
	from := (q.Page - 1) * q.PerPage
	if from >= total {
		return nil
	}
	to := min(from+q.PerPage, total)
	desc := q.Order != "asc"
	out := make([]int64, 0, to-from)
	n := len(bx.byDate)
	switch {
	case q.Sort == "bookmarked" && uint64(to)*uint64(n) <= 8*uint64(total)*uint64(total):
		// A large result: walk the dated order until the page is full.
		i := 0
		step, at := 1, 0
		if desc {
			step, at = -1, n-1
		}
		for ; at >= 0 && at < n; at += step {
			if id := bx.byDate[at]; c.Contains(id) {
				if i >= from {
					out = append(out, int64(id))
				}
				if i++; i >= to {
					break
				}
			}
		}
		return out
	case q.Sort == "updated" && total > 20000:
		return bx.pageByWorkDate(c, from, to, desc, out)
	}
	ids := c.ToArray()
	less := func(a, b uint32) int {
		if q.Sort == "updated" {
			if r := cmp.Compare(bx.works.col.updated[bx.work[a]], bx.works.col.updated[bx.work[b]]); r != 0 {
				return r
			}
		}
		if r := cmp.Compare(bx.created[a], bx.created[b]); r != 0 {
			return r
		}
		return cmp.Compare(a, b)
	}
	slices.SortFunc(ids, func(a, b uint32) int {
		if desc {
			return less(b, a)
		}
		return less(a, b)
	})
	for _, id := range ids[from:to] {
		out = append(out, int64(id))
	}
	return out
}

// pageByWorkDate pages a large result by the bookmarked work's date
// updated: the works index's presorted order is walked over the works the
// result holds, each work's bookmarks by date bookmarked.
func (bx *Bookmarks) pageByWorkDate(c *roaring.Bitmap, from, to int, desc bool, out []int64) []int64 {
	ix := bx.works
	works := roaring.New()
	it := c.ManyIterator()
	buf := make([]uint32, 512)
	for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
		for _, id := range buf[:k] {
			works.Add(bx.work[id])
		}
	}
	i := 0
	ix.orders["updated"].walk(&ix.col, desc, works.Contains, func(w uint32) bool {
		ids := roaring.And(bx.byWork[w].bitmap(), c).ToArray()
		slices.SortFunc(ids, func(a, b uint32) int {
			r := cmp.Compare(bx.created[a], bx.created[b])
			if r == 0 {
				r = cmp.Compare(a, b)
			}
			if desc {
				return -r
			}
			return r
		})
		for _, id := range ids {
			if i >= from {
				out = append(out, int64(id))
			}
			if i++; i >= to {
				return false
			}
		}
		return true
	})
	return out
}

// facets counts bookmarks per filterable tag of their works (by the
// filter rule, as work facets are counted) and per bookmarker's tag, the
// ten most used of each type.
func (bx *Bookmarks) facets(c *roaring.Bitmap) (map[archive.TagType][]Facet, []Facet) {
	ix := bx.works
	perWork := map[uint32]int32{}
	tagCounts := map[uint32]int32{}
	it := c.ManyIterator()
	buf := make([]uint32, 512)
	for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
		for _, id := range buf[:k] {
			perWork[bx.work[id]]++
			for _, t := range bx.tags[id] {
				tagCounts[t]++
			}
		}
	}
	counts := make([]int32, len(ix.kinds))
	var touched []uint32
	var filters []uint32
	for w, m := range perWork {
		if w == 0 || !ix.all.Contains(w) {
			continue
		}
		filters = ix.filtersOf(w, filters)
		for _, f := range filters {
			if int(f) >= len(counts) || ix.kinds[f] == 0 {
				continue
			}
			if counts[f] == 0 {
				touched = append(touched, f)
			}
			counts[f] += m
		}
	}
	top := make([][]facetEntry, len(FacetTypes))
	for _, f := range touched {
		k := ix.kinds[f] - 1
		top[k] = ix.pushTop(top[k], facetEntry{id: f, count: counts[f]})
	}
	out := make(map[archive.TagType][]Facet, len(FacetTypes))
	for i, t := range FacetTypes {
		fs := make([]Facet, 0, len(top[i]))
		for _, e := range top[i] {
			fs = append(fs, Facet{Name: ix.graph.Node(int64(e.id)).Name, Count: int(e.count)})
		}
		out[t] = fs
	}
	own := make([]Facet, 0, len(tagCounts))
	for t, n := range tagCounts {
		own = append(own, Facet{Name: bx.tagName[t], Count: int(n)})
	}
	slices.SortFunc(own, func(a, b Facet) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	if len(own) > 10 {
		own = own[:10]
	}
	return out, own
}
