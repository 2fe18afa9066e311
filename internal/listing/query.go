package listing

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
)

// TagRef names a tag in a filter; an empty Type means any type.
type TagRef struct {
	Type archive.TagType
	Name string
}

// Query is one listing request (SPEC's parameters).
type Query struct {
	Include           []TagRef
	Exclude           []TagRef
	Ratings           []string
	ExcludeRatings    []string
	Warnings          []string
	ExcludeWarnings   []string
	Categories        []string
	ExcludeCategories []string
	Complete          *bool
	Crossover         string // "", "only", "exclude"
	WordsFrom         *int   // nil = unbounded
	WordsTo           *int   // nil = unbounded
	UpdatedFrom       time.Time
	UpdatedTo         time.Time // inclusive day
	Language          string
	// TextIDs, when non-nil, restricts to works the full-text search found.
	TextIDs *roaring.Bitmap
	// Numeric bounds from the q syntax (kudos>100 …); -1 = unbounded.
	Ranges []Range
	// CreatorUserID restricts to one creator's works.
	CreatorUserID int64
	Sort          string
	Order         string
	Page          int
	PerPage       int
}

// Range bounds a counter inclusively.
type Range struct {
	Field    string // words, kudos, hits, comments, bookmarks
	Min, Max int64  // -1 = unbounded
}

// Viewer is who is asking: what they may see and what they muted.
type Viewer struct {
	UserID     int64
	MutedTags  []int64
	MutedUsers []int64
}

// LoggedIn reports whether the viewer has an account.
func (v Viewer) LoggedIn() bool { return v.UserID != 0 }

// MaxPage bounds page numbers far beyond any archive, far below overflow.
const MaxPage = 10_000_000

// Sorts lists the accepted sort keys.
var Sorts = []string{"updated", "posted", "title", "creator", "words", "hits", "kudos", "comments", "bookmarks", "relevance"}

// UnknownTagError is a filter naming a tag that does not exist for the reader.
type UnknownTagError struct{ Name string }

func (e *UnknownTagError) Error() string { return fmt.Sprintf("there is no tag named %q", e.Name) }

// Facet is one filter checkbox: a tag and how many works in the result match it.
type Facet struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Result is one page of a listing.
type Result struct {
	Total   int
	Page    int
	PerPage int
	IDs     []int64
	Facets  map[archive.TagType][]Facet
}

// FacetTypes are the tag types facets are computed for.
var FacetTypes = archive.TagTypes

// Normalize fills defaults and checks ranges; it returns a ValidationError.
func (q *Query) Normalize() error {
	if q.Sort == "" {
		q.Sort = "updated"
	}
	ok := false
	for _, s := range Sorts {
		ok = ok || s == q.Sort
	}
	if !ok {
		return archive.Invalid("sort", "%q is not a sort; use one of %s", q.Sort, strings.Join(Sorts, ", "))
	}
	switch q.Order {
	case "":
		q.Order = "desc"
		if q.Sort == "title" || q.Sort == "creator" {
			q.Order = "asc"
		}
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
	switch q.Crossover {
	case "", "only", "exclude":
	default:
		return archive.Invalid("crossover", "must be only or exclude")
	}
	return nil
}

// visible is every work the viewer may see in a listing: not draft, not
// hidden, not restricted for guests, and nothing they muted.
func (ix *Index) visible(v Viewer) *roaring.Bitmap {
	b := ix.all.Clone()
	b.AndNot(ix.draft)
	b.AndNot(ix.hidden)
	if !v.LoggedIn() {
		b.AndNot(ix.restricted)
	}
	for _, t := range v.MutedTags {
		if ix.graph.Node(t) != nil {
			b.AndNot(ix.filterSet(t))
		}
	}
	for _, u := range v.MutedUsers {
		if m := ix.byUser[u]; m != nil {
			b.AndNot(m)
		}
	}
	return b
}

// resolve finds the filter tag for a reference, as the viewer may know it:
// a canonical tag, or one carried by a work the viewer can see.
func (ix *Index) resolve(ref TagRef, visible *roaring.Bitmap) (int64, error) {
	for _, n := range ix.graph.Lookup(ref.Type, ref.Name) {
		if n.Canonical || ix.filterSet(n.ID).Intersects(visible) || (n.SynonymOf != 0 && ix.direct[n.ID] != nil && ix.direct[n.ID].Intersects(visible)) {
			return ix.graph.FilterTag(n.ID), nil
		}
	}
	return 0, &UnknownTagError{Name: ref.Name}
}

// Search runs a query for a viewer.
func (ix *Index) Search(q Query, v Viewer) (Result, error) {
	if err := q.Normalize(); err != nil {
		return Result{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	vis := ix.visible(v)
	b := vis.Clone()
	if q.CreatorUserID != 0 {
		if m := ix.byUser[q.CreatorUserID]; m != nil {
			b.And(m)
		} else {
			b.Clear()
		}
	}
	for _, ref := range q.Include {
		id, err := ix.resolve(ref, vis)
		if err != nil {
			return Result{}, err
		}
		b.And(ix.filterSet(id))
	}
	for _, ref := range q.Exclude {
		id, err := ix.resolve(ref, vis)
		if err != nil {
			return Result{}, err
		}
		b.AndNot(ix.filterSet(id))
	}
	fixed := func(t archive.TagType, names []string, any, exclude bool) error {
		if len(names) == 0 {
			return nil
		}
		var sets []*roaring.Bitmap
		for _, n := range names {
			id, err := ix.resolve(TagRef{Type: t, Name: n}, vis)
			if err != nil {
				return err
			}
			sets = append(sets, ix.filterSet(id))
		}
		switch {
		case exclude:
			for _, s := range sets {
				b.AndNot(s)
			}
		case any:
			b.And(roaring.FastOr(sets...))
		default:
			for _, s := range sets {
				b.And(s)
			}
		}
		return nil
	}
	for _, f := range []struct {
		t        archive.TagType
		names    []string
		any, neg bool
	}{
		{archive.TypeRating, q.Ratings, true, false}, {archive.TypeRating, q.ExcludeRatings, false, true},
		{archive.TypeWarning, q.Warnings, false, false}, {archive.TypeWarning, q.ExcludeWarnings, false, true},
		{archive.TypeCategory, q.Categories, false, false}, {archive.TypeCategory, q.ExcludeCategories, false, true},
	} {
		if err := fixed(f.t, f.names, f.any, f.neg); err != nil {
			return Result{}, err
		}
	}
	if q.Complete != nil {
		if *q.Complete {
			b.And(ix.complete)
		} else {
			b.AndNot(ix.complete)
		}
	}
	switch q.Crossover {
	case "only":
		b.And(ix.crossover)
	case "exclude":
		b.AndNot(ix.crossover)
	}
	if q.Language != "" {
		if l := ix.lang[strings.ToLower(q.Language)]; l != nil {
			b.And(l)
		} else {
			b.Clear()
		}
	}
	if q.TextIDs != nil {
		b.And(q.TextIDs)
	}
	docs := ix.collect(b, q)
	res := Result{Total: len(docs), Page: q.Page, PerPage: q.PerPage}
	sortDocs(docs, q.Sort, q.Order)
	from := (q.Page - 1) * q.PerPage
	for i := from; i < len(docs) && i < from+q.PerPage; i++ {
		res.IDs = append(res.IDs, docs[i].ID)
	}
	res.Facets = ix.facets(docs)
	return res, nil
}

// collect applies the range filters that are not bitmaps and returns the docs.
func (ix *Index) collect(b *roaring.Bitmap, q Query) []*doc {
	var fromDay, toDay int64 = math64Min, math64Max
	if !q.UpdatedFrom.IsZero() {
		fromDay = q.UpdatedFrom.Unix()
	}
	if !q.UpdatedTo.IsZero() {
		toDay = q.UpdatedTo.AddDate(0, 0, 1).Unix() - 1
	}
	out := make([]*doc, 0, b.GetCardinality())
	it := b.Iterator()
	for it.HasNext() {
		d := ix.docs[it.Next()]
		if d == nil {
			continue
		}
		if q.WordsFrom != nil && d.Words < *q.WordsFrom || q.WordsTo != nil && d.Words > *q.WordsTo {
			continue
		}
		if d.UpdatedAt < fromDay || d.UpdatedAt > toDay {
			continue
		}
		if !inRanges(d, q.Ranges) {
			continue
		}
		out = append(out, d)
	}
	return out
}

const (
	math64Min = -1 << 63
	math64Max = 1<<63 - 1
)

func counter(d *doc, field string) int64 {
	switch field {
	case "words":
		return int64(d.Words)
	case "kudos":
		return d.Kudos
	case "hits":
		return d.Hits
	case "comments":
		return d.Comments
	case "bookmarks":
		return d.Bookmarks
	}
	return 0
}

func inRanges(d *doc, rs []Range) bool {
	for _, r := range rs {
		v := counter(d, r.Field)
		if r.Min >= 0 && v < r.Min || r.Max >= 0 && v > r.Max {
			return false
		}
	}
	return true
}

// sortDocs orders by the sort key, ties broken by id descending in either order.
func sortDocs(docs []*doc, key, order string) {
	asc := order == "asc"
	var cmp func(a, b *doc) int
	num := func(f func(*doc) int64) func(a, b *doc) int {
		return func(a, b *doc) int {
			x, y := f(a), f(b)
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	switch key {
	case "posted":
		cmp = num(func(d *doc) int64 { return d.PostedAt })
	case "words":
		cmp = num(func(d *doc) int64 { return int64(d.Words) })
	case "hits", "kudos", "comments", "bookmarks":
		cmp = num(func(d *doc) int64 { return counter(d, key) })
	case "title":
		cmp = func(a, b *doc) int { return strings.Compare(a.TitleSort, b.TitleSort) }
	case "creator":
		cmp = func(a, b *doc) int { return strings.Compare(a.CreatorSort, b.CreatorSort) }
	default: // updated, and relevance until the index ranks text
		cmp = num(func(d *doc) int64 { return d.UpdatedAt })
	}
	sort.Slice(docs, func(i, j int) bool {
		c := cmp(docs[i], docs[j])
		if c == 0 {
			return docs[i].ID > docs[j].ID
		}
		if asc {
			return c < 0
		}
		return c > 0
	})
}

// facets counts, for each type, the ten filterable tags most matched by the
// result, each count exact under the filter rule.
func (ix *Index) facets(docs []*doc) map[archive.TagType][]Facet {
	counts := map[int64]int{}
	matchCache := map[int64][]int64{}
	seen := map[int64]bool{}
	for _, d := range docs {
		clear(seen)
		for _, t := range d.TagIDs {
			m, ok := matchCache[t]
			if !ok {
				m = ix.graph.Matches(t)
				matchCache[t] = m
			}
			for _, f := range m {
				if !seen[f] {
					seen[f] = true
					counts[f]++
				}
			}
		}
	}
	byType := map[archive.TagType][]Facet{}
	ids := map[archive.TagType][]int64{}
	for id := range counts {
		if n := ix.graph.Node(id); n != nil && n.Filterable() {
			ids[n.Type] = append(ids[n.Type], id)
		}
	}
	for _, t := range FacetTypes {
		list := ids[t]
		sort.Slice(list, func(i, j int) bool {
			a, b := list[i], list[j]
			if counts[a] != counts[b] {
				return counts[a] > counts[b]
			}
			return ix.graph.Node(a).Name < ix.graph.Node(b).Name
		})
		if len(list) > 10 {
			list = list[:10]
		}
		facets := make([]Facet, 0, len(list))
		for _, id := range list {
			facets = append(facets, Facet{Name: ix.graph.Node(id).Name, Count: counts[id]})
		}
		byType[t] = facets
	}
	return byType
}

// TagWorkCount is how many works the viewer can see that a filter on the tag matches.
func (ix *Index) TagWorkCount(id int64, v Viewer) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	vis := ix.visible(v)
	return int(vis.AndCardinality(ix.filterSet(id)))
}

// TagVisible reports whether the viewer may know the tag exists: canonical,
// or carried (directly) by a work the viewer may see.
func (ix *Index) TagVisible(id int64, v Viewer) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := ix.graph.Node(id)
	if n == nil {
		return false
	}
	if n.Canonical {
		return true
	}
	d := ix.direct[id]
	return d != nil && d.Intersects(ix.visible(v))
}

// TagUses returns, for each tag id, how many visible works carry it directly
// (autocomplete popularity).
func (ix *Index) TagUses(ids []int64, v Viewer) map[int64]int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	vis := ix.visible(v)
	out := make(map[int64]int, len(ids))
	for _, id := range ids {
		if d := ix.direct[id]; d != nil {
			out[id] = int(d.AndCardinality(vis))
		}
	}
	return out
}
