package listing

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

var nonEmpty, asked int

// refBookmarks is the brute-force reference for the bookmark index.
type refBookmarks map[int64]store.BookmarkRow

var bookmarkTagPool = []string{"cozy", "Cozy", "reread", "to read", "comfort", "later"}

func genBookmark(r *rand.Rand, a *refArchive, id int64, works []int64) store.BookmarkRow {
	b := store.BookmarkRow{ID: id, UserID: 1 + r.Int64N(8), Private: r.IntN(5) == 0, Rec: r.IntN(3) == 0,
		CreatedAt: int64(1_700_000_000 + r.IntN(50)*3600)}
	if r.IntN(12) != 0 {
		b.WorkID = works[r.IntN(len(works))]
	}
	for range r.IntN(3) {
		b.Tags = append(b.Tags, bookmarkTagPool[r.IntN(len(bookmarkTagPool))])
	}
	return b
}

// search answers q by going through every bookmark; works is the set of
// works the works index matches for q.Work (checked by its own test).
func (rb refBookmarks) search(ix *Index, q BookmarkQuery, v Viewer, works map[int64]bool) []store.BookmarkRow {
	own := q.UserID != 0 && q.UserID == v.UserID
	has := func(b store.BookmarkRow, t string) bool {
		return slices.ContainsFunc(b.Tags, func(x string) bool { return strings.EqualFold(x, t) })
	}
	var out []store.BookmarkRow
	for _, b := range rb {
		switch {
		case q.UserID != 0 && b.UserID != q.UserID, q.WorkID != 0 && b.WorkID != q.WorkID, q.Rec && !b.Rec,
			b.Private && !(own && b.UserID == v.UserID),
			slices.Contains(v.MutedUsers, b.UserID) && b.UserID != v.UserID:
			continue
		}
		ok := true
		for _, t := range q.Tags {
			ok = ok && has(b, t)
		}
		for _, t := range q.ExcludeTags {
			ok = ok && !has(b, t)
		}
		if !ok {
			continue
		}
		if (!own || q.WorkFiltered()) && (b.WorkID == 0 || !works[b.WorkID]) {
			continue
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(x, y store.BookmarkRow) int {
		if q.Sort == "updated" {
			if c := cmp.Compare(ix.col.updated[x.WorkID], ix.col.updated[y.WorkID]); c != 0 {
				return -c
			}
		}
		if c := cmp.Compare(x.CreatedAt, y.CreatedAt); c != 0 {
			return -c
		}
		return -cmp.Compare(x.ID, y.ID)
	})
	return out
}

func TestBookmarksMatchReference(t *testing.T) {
	nonEmpty, asked = 0, 0
	defer func() {
		// The random queries must mostly find something, or they test little.
		if nonEmpty*4 < asked {
			t.Errorf("only %d of %d queries found bookmarks", nonEmpty, asked)
		}
		if testing.Verbose() {
			t.Logf("%d of %d queries found bookmarks", nonEmpty, asked)
		}
	}()
	for seed := uint64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		a := genArchive(r)
		ix := New(a.graph())
		var workIDs []int64
		for _, w := range a.works {
			ix.Put(w.IndexRow)
			workIDs = append(workIDs, w.ID)
		}
		slices.Sort(workIDs)
		rb := refBookmarks{}
		n := 50 + r.IntN(400)
		for id := int64(1); id <= int64(n); id++ {
			rb[id] = genBookmark(r, a, id, workIDs)
		}
		// Half the seeds build at once, half put one by one (as writes do).
		bx := NewBookmarks(ix)
		if seed%2 == 0 {
			bx.mu.Lock()
			for id := int64(1); id <= int64(n); id++ {
				bx.put(rb[id], false)
			}
			bx.sortDates()
			bx.mu.Unlock()
		} else {
			for id := int64(n); id >= 1; id-- {
				bx.Replace(rb[id].WorkID, false, rowsOf(rb, func(b store.BookmarkRow) bool { return b.WorkID == rb[id].WorkID && b.ID >= id }))
			}
		}
		g := newQueryGen(r, a)
		checkAll := func(phase string) {
			for i := 0; i < 60; i++ {
				q, v := randomBookmarkQuery(r, g, workIDs), g.viewer()
				if msg := checkBookmarks(ix, bx, rb, q, v); msg != "" {
					t.Fatalf("seed %d, %s, query %d: %s\n  query: %+v (work: %s)\n  viewer: %+v", seed, phase, i, msg, q, describeQuery(q.Work), v)
				}
			}
		}
		checkAll("built")
		// Writes: a user's bookmarks change, a work goes, bookmarks are deleted.
		u := 1 + r.Int64N(8)
		for id, b := range rb {
			if b.UserID == u {
				b.Private, b.Tags = !b.Private, []string{"later"}
				rb[id] = b
			}
		}
		bx.Replace(u, true, rowsOf(rb, func(b store.BookmarkRow) bool { return b.UserID == u }))
		gone := workIDs[r.IntN(len(workIDs))]
		ix.Remove(gone)
		bx.WorkGone(gone)
		for id, b := range rb {
			if b.WorkID == gone {
				b.WorkID = 0
				rb[id] = b
			}
		}
		for id := range rb {
			if r.IntN(6) == 0 {
				bx.Remove(id)
				delete(rb, id)
			}
		}
		workIDs = slices.DeleteFunc(workIDs, func(id int64) bool { return id == gone })
		checkAll("after writes")
	}
}

func rowsOf(rb refBookmarks, keep func(store.BookmarkRow) bool) []store.BookmarkRow {
	var out []store.BookmarkRow
	for _, b := range rb {
		if keep(b) {
			out = append(out, b)
		}
	}
	return out
}

func randomBookmarkQuery(r *rand.Rand, g *queryGen, works []int64) BookmarkQuery {
	q := BookmarkQuery{PerPage: 1 + r.IntN(30), Page: 1 + r.IntN(3), Sort: BookmarkSorts[r.IntN(2)]}
	if r.IntN(2) == 0 {
		q.Work = g.query()
		q.Work.Sort, q.Work.Order, q.Work.Page, q.Work.PerPage = "", "", 0, 0
		q.Work.Collections = nil
	}
	if r.IntN(3) == 0 {
		q.UserID = 1 + r.Int64N(8)
	}
	if r.IntN(8) == 0 {
		q.WorkID = works[r.IntN(len(works))]
	}
	q.Rec = r.IntN(4) == 0
	if r.IntN(3) == 0 {
		q.Tags = []string{bookmarkTagPool[r.IntN(len(bookmarkTagPool))]}
	}
	if r.IntN(3) == 0 {
		q.ExcludeTags = []string{bookmarkTagPool[r.IntN(len(bookmarkTagPool))]}
	}
	return q
}

func checkBookmarks(ix *Index, bx *Bookmarks, rb refBookmarks, q BookmarkQuery, v Viewer) string {
	works := map[int64]bool{}
	wq := q.Work
	wq.PerPage, wq.SkipFacets = 100, true
	for page := 1; ; page++ {
		wq.Page = page
		res, err := ix.Search(wq, v)
		if err != nil {
			_, berr := bx.Search(q, v)
			if berr == nil {
				return fmt.Sprintf("works query fails (%v), bookmark query does not", err)
			}
			return ""
		}
		for _, id := range res.IDs {
			works[id] = true
		}
		if page*100 >= res.Total {
			break
		}
	}
	res, err := bx.Search(q, v)
	if err != nil {
		return "error: " + err.Error()
	}
	want := rb.search(ix, q, v, works)
	asked++
	if len(want) > 0 {
		nonEmpty++
	}
	if res.Total != len(want) {
		return fmt.Sprintf("total %d, want %d", res.Total, len(want))
	}
	from := (res.Page - 1) * res.PerPage
	var wantIDs []int64
	for i := from; i < min(len(want), from+res.PerPage); i++ {
		wantIDs = append(wantIDs, want[i].ID)
	}
	if !slices.Equal(res.IDs, wantIDs) && !(len(res.IDs) == 0 && len(wantIDs) == 0) {
		return fmt.Sprintf("page %v, want %v", res.IDs, wantIDs)
	}
	// Bookmarker's tags: each count exact, no more common tag left out.
	counts := map[string]int{}
	display := map[string]bool{}
	for _, b := range want {
		seen := map[string]bool{}
		for _, t := range b.Tags {
			if k := strings.ToLower(t); !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
	}
	for _, f := range res.BookmarkerTags {
		display[strings.ToLower(f.Name)] = true
		if counts[strings.ToLower(f.Name)] != f.Count {
			return fmt.Sprintf("bookmarker tag %q: %d, want %d", f.Name, f.Count, counts[strings.ToLower(f.Name)])
		}
	}
	if len(res.BookmarkerTags) != min(10, len(counts)) {
		return fmt.Sprintf("%d bookmarker tags, want %d", len(res.BookmarkerTags), min(10, len(counts)))
	}
	// Work tag facets count bookmarks whose work matches the tag.
	for t, fs := range res.Facets {
		for _, f := range fs {
			n := 0
			for _, b := range want {
				if b.WorkID != 0 && ix.all.Contains(uint32(b.WorkID)) && slices.Contains(ix.filtersOf(uint32(b.WorkID), nil), nodeNamed(ix, t, f.Name)) {
					n++
				}
			}
			if n != f.Count {
				return fmt.Sprintf("facet %s %q: %d, want %d", t, f.Name, f.Count, n)
			}
		}
	}
	return ""
}

// nodeNamed is the filterable tag of a type with the name, as facets name it.
func nodeNamed(ix *Index, t archive.TagType, name string) uint32 {
	for _, n := range ix.graph.Lookup(t, name) {
		if n.Filterable() {
			return uint32(n.ID)
		}
	}
	return 0
}
