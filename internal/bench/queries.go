package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/tags"
)

// perPage is the page size of every bench query, as readers see it.
const perPage = 20

// tagPick is a filter tag as a query names it (the index resolves the name,
// SQL uses the id).
type tagPick struct {
	ID   int64
	Type archive.TagType
	Name string
}

func (t tagPick) String() string { return string(t.Type) + ":" + t.Name }

// query is one reader-shaped listing request.
type query struct {
	Include, Exclude []tagPick
	Ratings          []tagPick // any of
	Warnings         []tagPick // all of
	ExcludeWarnings  []tagPick
	Complete         *bool
	WordsFrom        *int
	WordsTo          *int
	Sort, Order      string
	Page             int
	LoggedIn         bool
}

// sorts are the orders a reader can ask for, with the column SQL sorts by.
var sorts = []struct{ name, column string }{
	{"updated", "updated_at"}, {"posted", "posted_at"}, {"title", "title_sort"}, {"creator", "creator_sort"},
	{"words", "words"}, {"hits", "hits"}, {"kudos", "kudos"}, {"comments", "comments"}, {"bookmarks", "bookmarks"},
}

func names(ts []tagPick) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func refs(ts []tagPick) []listing.TagRef {
	out := make([]listing.TagRef, len(ts))
	for i, t := range ts {
		out[i] = listing.TagRef{Type: t.Type, Name: t.Name}
	}
	return out
}

// listing is the query as the index takes it. A logged-in reader is any
// account; restricted works are then listed.
func (q query) listing() (listing.Query, listing.Viewer) {
	lq := listing.Query{
		Include: refs(q.Include), Exclude: refs(q.Exclude),
		Ratings: names(q.Ratings), Warnings: names(q.Warnings), ExcludeWarnings: names(q.ExcludeWarnings),
		Complete: q.Complete, WordsFrom: q.WordsFrom, WordsTo: q.WordsTo,
		Sort: q.Sort, Order: q.Order, Page: q.Page, PerPage: perPage,
	}
	var v listing.Viewer
	if q.LoggedIn {
		v.UserID = 1
	}
	return lq, v
}

func (q query) String() string {
	var b strings.Builder
	list := func(label string, ts []tagPick) {
		if len(ts) > 0 {
			parts := make([]string, len(ts))
			for i, t := range ts {
				parts[i] = fmt.Sprintf("%s(#%d)", t, t.ID)
			}
			fmt.Fprintf(&b, "%s=[%s] ", label, strings.Join(parts, ", "))
		}
	}
	list("include", q.Include)
	list("exclude", q.Exclude)
	list("ratings", q.Ratings)
	list("warnings", q.Warnings)
	list("exclude_warnings", q.ExcludeWarnings)
	if q.Complete != nil {
		fmt.Fprintf(&b, "complete=%v ", *q.Complete)
	}
	if q.WordsFrom != nil {
		fmt.Fprintf(&b, "words_from=%d ", *q.WordsFrom)
	}
	if q.WordsTo != nil {
		fmt.Fprintf(&b, "words_to=%d ", *q.WordsTo)
	}
	viewer := "guest"
	if q.LoggedIn {
		viewer = "logged-in"
	}
	fmt.Fprintf(&b, "sort=%s %s page=%d %s", q.Sort, q.Order, q.Page, viewer)
	return b.String()
}

// querySource is what the generator learns from the archive.
type querySource interface {
	// tagCounts is, per filterable tag, how many works its filter matches:
	// all of them and those a guest may see.
	tagCounts(ctx context.Context) (map[int64]tagCount, error)
	// workInTag is the i-th work (by id) a filter on tag matches.
	workInTag(ctx context.Context, tag int64, i int) (int64, error)
	// workTags lists the tags a work carries.
	workTags(ctx context.Context, work int64) ([]int64, error)
	// publicWords lists the word counts of the works a guest may see, sorted.
	publicWords(ctx context.Context) ([]int, error)
}

type tagCount struct{ all, public int }

// weighted picks tags with probability proportional to how many works they
// match; the demo's tag popularity is Zipf-like, and so is what readers click.
type weighted struct {
	tags []tagPick
	cum  []int
}

func (w *weighted) add(t tagPick, weight int) {
	total := 0
	if n := len(w.cum); n > 0 {
		total = w.cum[n-1]
	}
	w.tags = append(w.tags, t)
	w.cum = append(w.cum, total+weight)
}

func (w *weighted) pick(r *rand.Rand) tagPick {
	x := r.IntN(w.cum[len(w.cum)-1])
	return w.tags[sort.SearchInts(w.cum, x+1)]
}

// generateQueries makes k queries, the same for the same archive and seed:
// a first include chosen by popularity, up to two more refining it (tags of
// a work it matches, as a reader narrows a listing), 0–6 excludes by
// popularity, and sometimes ratings, warnings, completion and a word range;
// every sort and order; mostly page 1; mostly guests.
func generateQueries(ctx context.Context, src querySource, g *tags.Graph, k int, seed int64) ([]query, error) {
	counts, err := src.tagCounts(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var pool weighted
	free := map[archive.TagType]bool{}
	for _, t := range archive.FreeTagTypes {
		free[t] = true
	}
	pick := func(id int64) (tagPick, bool) {
		n := g.Node(id)
		if n == nil || !n.Filterable() || counts[id].public == 0 {
			return tagPick{}, false
		}
		return tagPick{ID: id, Type: n.Type, Name: n.Name}, true
	}
	for _, id := range ids {
		if t, ok := pick(id); ok && free[t.Type] {
			pool.add(t, counts[id].public)
		}
	}
	if len(pool.tags) == 0 {
		return nil, fmt.Errorf("the archive has no tags a guest can filter by")
	}
	fixed := func(t archive.TagType) []tagPick {
		var out []tagPick
		for _, name := range archive.FixedVocabulary(t) {
			for _, n := range g.Lookup(t, name) {
				out = append(out, tagPick{ID: n.ID, Type: n.Type, Name: n.Name})
			}
		}
		return out
	}
	ratings, warnings := fixed(archive.TypeRating), fixed(archive.TypeWarning)
	words, err := src.publicWords(ctx)
	if err != nil {
		return nil, err
	}
	quantile := func(p int) int {
		if len(words) == 0 {
			return 0
		}
		return words[min(len(words)-1, p*len(words)/100)]
	}

	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed_f11e))
	out := make([]query, 0, k)
	for range k {
		q := query{}
		used := map[int64]bool{}
		first := pool.pick(r)
		q.Include = append(q.Include, first)
		used[first.ID] = true
		for want := r.IntN(3); want > 0; want-- {
			c := counts[first.ID]
			work, err := src.workInTag(ctx, first.ID, r.IntN(c.all))
			if err != nil {
				return nil, err
			}
			carried, err := src.workTags(ctx, work)
			if err != nil {
				return nil, err
			}
			var cands []tagPick
			seen := map[int64]bool{}
			for _, id := range carried {
				id = g.FilterTag(id)
				if t, ok := pick(id); ok && free[t.Type] && !used[id] && !seen[id] {
					seen[id] = true
					cands = append(cands, t)
				}
			}
			if len(cands) == 0 {
				break
			}
			t := cands[r.IntN(len(cands))]
			q.Include = append(q.Include, t)
			used[t.ID] = true
		}
		if r.Float64() < 0.6 {
			for n, tries := 1+r.IntN(6), 0; n > 0 && tries < 30; tries++ {
				t := pool.pick(r)
				if !used[t.ID] {
					used[t.ID] = true
					q.Exclude = append(q.Exclude, t)
					n--
				}
			}
		}
		if x := r.Float64(); x < 0.3 {
			perm := r.Perm(len(ratings))
			for _, i := range perm[:min(len(perm), 1+r.IntN(2))] {
				q.Ratings = append(q.Ratings, ratings[i])
			}
		}
		switch x := r.Float64(); {
		case x < 0.1:
			q.Warnings = append(q.Warnings, warnings[r.IntN(len(warnings))])
		case x < 0.25:
			perm := r.Perm(len(warnings))
			for _, i := range perm[:min(len(perm), 1+r.IntN(2))] {
				q.ExcludeWarnings = append(q.ExcludeWarnings, warnings[i])
			}
		}
		switch x := r.Float64(); {
		case x < 0.15:
			q.Complete = ptr(true)
		case x < 0.25:
			q.Complete = ptr(false)
		}
		if r.Float64() < 0.2 {
			lo, hi := r.IntN(10)*10, 0
			hi = lo + 10 + r.IntN(10-lo/10)*10
			switch x := r.Float64(); {
			case x < 0.4:
				q.WordsFrom, q.WordsTo = ptr(quantile(lo)), ptr(quantile(hi))
			case x < 0.7:
				q.WordsFrom = ptr(quantile(lo))
			default:
				q.WordsTo = ptr(quantile(hi))
			}
		}
		s := sorts[r.IntN(len(sorts))]
		q.Sort, q.Order = s.name, []string{"asc", "desc"}[r.IntN(2)]
		switch x := r.Float64(); {
		case x < 0.80:
			q.Page = 1
		case x < 0.90:
			q.Page = 2 + r.IntN(4)
		case x < 0.95:
			q.Page = 10
		default:
			q.Page = 50
		}
		q.LoggedIn = r.Float64() < 0.2
		out = append(out, q)
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }
