package listing

// A property test of the listing index against a brute-force reference
// written straight from SPEC "Tags and filtering": random small archives,
// random wrangling, random queries and viewers; the index and the reference
// must agree on the total, the exact page of ids and every facet.

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/tags"
)

// ---- the random archive ----

type refTag struct {
	archive.Tag
	Meta []int64
}

type refWork struct {
	store.IndexRow
	Title      string // the reference sorts by its own key of this
	FirstPseud string
}

type refArchive struct {
	tags  map[int64]*refTag
	order []int64 // tag ids in creation order (meta edges go from later to earlier)
	works map[int64]*refWork
}

var (
	pseudPool = []string{"alice", "Alice", "bob", "Zed", "émile", "carol", "Bob", "dave"}
	titlePool = []string{"The Apple", "apple", "An Apple", "A", "the", "Zebra", "a zebra", "Another Day", "THE END", "Thea",
		"An", "a  Banana", "Banana", "The Zebra", "an orange", "Orange", "the the"}
	langPool = []string{"en", "EN", "de", "fr", "", "ja"}
)

const dayBase = 19000 // days since the epoch, 2022-01-08

func (a *refArchive) graph() *tags.Graph {
	nodes := make([]tags.Node, 0, len(a.tags))
	for _, t := range a.tags { // map order: the graph must not depend on input order
		nodes = append(nodes, tags.Node{Tag: t.Tag, Meta: slices.Clone(t.Meta)})
	}
	return tags.NewGraph(nodes)
}

// genArchive makes the vocabulary (all fixed tags canonical, 5–40 free tags
// with random wrangling) and 5–60 works.
func genArchive(r *rand.Rand) *refArchive {
	a := &refArchive{tags: map[int64]*refTag{}, works: map[int64]*refWork{}}
	nFree := 5 + r.IntN(36)
	ids := r.Perm(17 + nFree + 20) // random ids, so id order is not creation order
	next := 0
	newID := func() int64 { next++; return int64(ids[next-1] + 1) }
	for _, t := range []archive.TagType{archive.TypeRating, archive.TypeWarning, archive.TypeCategory} {
		for _, name := range archive.FixedVocabulary(t) {
			id := newID()
			a.tags[id] = &refTag{Tag: archive.Tag{ID: id, Type: t, Name: name, Canonical: true}}
			a.order = append(a.order, id)
		}
	}
	used := map[string]bool{}
	for len(a.order) < 17+nFree {
		typ := archive.FreeTagTypes[r.IntN(len(archive.FreeTagTypes))]
		// A small name pool makes the same name appear in several types;
		// some names differ from others only by case (and may not share a type).
		name := fmt.Sprintf("Tag %d", r.IntN(30))
		if r.IntN(4) == 0 {
			name = strings.ToUpper(name)
		}
		if r.IntN(10) == 0 {
			name = "Mature" // a free tag sharing a rating's name
		}
		if used[string(typ)+"\x00"+archive.TagKey(name)] {
			continue
		}
		used[string(typ)+"\x00"+archive.TagKey(name)] = true
		id := newID()
		a.tags[id] = &refTag{Tag: archive.Tag{ID: id, Type: typ, Name: name}}
		a.order = append(a.order, id)
	}
	a.wrangle(r)
	nWorks := 5 + r.IntN(56)
	wids := r.Perm(3 * nWorks)
	for i := 0; i < nWorks; i++ {
		w := a.genWork(r, int64(wids[i]+1))
		a.works[w.ID] = w
	}
	return a
}

// wrangle sets random canonical flags, synonyms and an acyclic meta DAG on
// the free tags (the fixed ones stay canonical and unwrangled).
func (a *refArchive) wrangle(r *rand.Rand) {
	pCanon := []float64{0.2, 0.5, 0.8}[r.IntN(3)]
	pSyn := []float64{0.3, 0.6, 0.9}[r.IntN(3)]
	pMeta := []float64{0.1, 0.25, 0.5}[r.IntN(3)]
	var free []*refTag
	for _, id := range a.order {
		t := a.tags[id]
		if archive.FixedVocabulary(t.Type) != nil {
			continue
		}
		t.Canonical, t.SynonymOf, t.Meta = r.Float64() < pCanon, 0, nil
		free = append(free, t)
	}
	for i, t := range free {
		if t.Canonical {
			for _, m := range free[:i] { // only towards earlier tags: acyclic
				if m.Canonical && m.Type == t.Type && r.Float64() < pMeta {
					t.Meta = append(t.Meta, m.ID)
				}
			}
			continue
		}
		var targets []int64
		for _, c := range free {
			if c.Canonical && c.Type == t.Type {
				targets = append(targets, c.ID)
			}
		}
		if len(targets) > 0 && r.Float64() < pSyn {
			t.SynonymOf = targets[r.IntN(len(targets))]
		}
	}
}

func (a *refArchive) tagsOfType(t archive.TagType) []int64 {
	var out []int64
	for _, id := range a.order {
		if a.tags[id].Type == t {
			out = append(out, id)
		}
	}
	return out
}

func pick(r *rand.Rand, from []int64, lo, hi int) []int64 {
	if len(from) == 0 {
		return nil
	}
	n := lo + r.IntN(hi-lo+1)
	var out []int64
	for range n {
		id := from[r.IntN(len(from))]
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func (a *refArchive) genWork(r *rand.Rand, id int64) *refWork {
	var tagIDs []int64
	tagIDs = append(tagIDs, pick(r, a.tagsOfType(archive.TypeRating), 1, 1)...)
	tagIDs = append(tagIDs, pick(r, a.tagsOfType(archive.TypeWarning), 1, 3)...)
	tagIDs = append(tagIDs, pick(r, a.tagsOfType(archive.TypeCategory), 0, 2)...)
	tagIDs = append(tagIDs, pick(r, a.tagsOfType(archive.TypeFandom), 1, 3)...)
	tagIDs = append(tagIDs, pick(r, a.tagsOfType(archive.TypeRelationship), 0, 3)...)
	tagIDs = append(tagIDs, pick(r, a.tagsOfType(archive.TypeCharacter), 0, 3)...)
	tagIDs = append(tagIDs, pick(r, a.tagsOfType(archive.TypeFreeform), 0, 4)...)
	r.Shuffle(len(tagIDs), func(i, j int) { tagIDs[i], tagIDs[j] = tagIDs[j], tagIDs[i] })
	var creators []int64
	for _, u := range pick(r, []int64{1, 2, 3, 4, 5, 6}, 1, 2) {
		creators = append(creators, u)
	}
	posted := 1 + r.IntN(4)
	expected := 0 // unknown
	if r.IntN(3) > 0 {
		expected = posted + r.IntN(2)
	}
	postedAt := int64(dayBase+r.IntN(12))*86400 + r.Int64N(86400)
	updatedAt := postedAt
	if r.IntN(2) == 0 {
		updatedAt += r.Int64N(5 * 86400)
	}
	if r.IntN(8) == 0 {
		updatedAt = postedAt // ties on dates
	}
	title := titlePool[r.IntN(len(titlePool))]
	pseud := pseudPool[r.IntN(len(pseudPool))]
	anonymous, unrevealed := r.IntN(8) == 0, r.IntN(16) == 0
	w := &refWork{Title: title, FirstPseud: pseud}
	// A mystery work sorts as "Mystery Work" by "Anonymous"; an anonymous
	// one by "Anonymous" (SPEC: creator sort hides them).
	if unrevealed {
		w.Title = "Mystery Work"
	}
	if anonymous || unrevealed {
		w.FirstPseud = "Anonymous"
	}
	w.IndexRow = store.IndexRow{
		ID:               id,
		TagIDs:           tagIDs,
		CreatorUserIDs:   creators,
		Language:         langPool[r.IntN(len(langPool))],
		Words:            []int{0, 100, 500, 1000, 1001, 5000, 20000}[r.IntN(7)],
		ChaptersPosted:   posted,
		ChaptersExpected: expected,
		Draft:            r.IntN(8) == 0,
		Hidden:           r.IntN(10) == 0,
		Restricted:       r.IntN(4) == 0,
		PostedAt:         postedAt,
		UpdatedAt:        updatedAt,
		Hits:             r.Int64N(8),
		Kudos:            r.Int64N(5),
		Comments:         r.Int64N(4),
		Bookmarks:        r.Int64N(3),
		TitleSort:        archive.TitleSortKey(title),
		CreatorSort:      strings.ToLower(pseud),
		Collections:      pick(r, []int64{1, 2, 3, 4}, 0, 3),
		Anonymous:        anonymous,
		Unrevealed:       unrevealed,
	}
	return w
}

// ---- the reference, straight from SPEC ----

// canon is the canonical tag of a synonym, the tag itself otherwise.
func (a *refArchive) canon(id int64) int64 {
	if t := a.tags[id]; t != nil && !t.Canonical && t.SynonymOf != 0 {
		return t.SynonymOf
	}
	return id
}

// closure is the tag and all its meta tags, transitively.
func (a *refArchive) closure(id int64) map[int64]bool {
	set := map[int64]bool{id: true}
	todo := []int64{id}
	for len(todo) > 0 {
		t := a.tags[todo[0]]
		todo = todo[1:]
		if t == nil {
			continue
		}
		for _, m := range t.Meta {
			if !set[m] {
				set[m] = true
				todo = append(todo, m)
			}
		}
	}
	return set
}

// matches: a filter on tag f matches the work when some tag on it, resolved
// to its canonical, has f's canonical in its meta closure.
func (a *refArchive) matches(w *refWork, f int64) bool {
	root := a.canon(f)
	for _, t := range w.tags() {
		if a.closure(a.canon(t))[root] {
			return true
		}
	}
	return false
}

// tags are the work's tags as readers may know them: none for a mystery
// work (unrevealed: no filter, facet or tag page counts them).
func (w *refWork) tags() []int64 {
	if w.Unrevealed {
		return nil
	}
	return w.TagIDs
}

// hidesCreators: an anonymous or unrevealed work's creators are nobody's
// business but the creators'.
func (w *refWork) hidesCreators() bool { return w.Anonymous || w.Unrevealed }

// permitted: drafts and hidden works never; restricted ones for logged-in readers.
func permitted(w *refWork, v Viewer) bool {
	return !w.Draft && !w.Hidden && (v.UserID != 0 || !w.Restricted)
}

func (a *refArchive) visible(w *refWork, v Viewer) bool {
	if !permitted(w, v) {
		return false
	}
	for _, m := range v.MutedTags {
		if a.tags[m] != nil && a.matches(w, m) {
			return false
		}
	}
	for _, u := range v.MutedUsers {
		if !w.hidesCreators() && slices.Contains(w.CreatorUserIDs, u) {
			return false
		}
	}
	if v.Hidden != nil && v.Hidden.Contains(uint32(w.ID)) {
		return false
	}
	return true
}

// exists: a tag exists for a reader if it is canonical or on a work the
// reader may see.
func (a *refArchive) exists(id int64, v Viewer) bool {
	if a.tags[id].Canonical {
		return true
	}
	for _, w := range a.works {
		if permitted(w, v) && slices.Contains(w.tags(), id) {
			return true
		}
	}
	return false
}

// resolve finds the tag a reference names for the reader (the first in id
// order that exists for them), or 0.
func (a *refArchive) resolve(ref TagRef, v Viewer) int64 {
	var cands []int64
	for id, t := range a.tags {
		if (ref.Type == "" || t.Type == ref.Type) && archive.TagKey(t.Name) == archive.TagKey(ref.Name) {
			cands = append(cands, id)
		}
	}
	slices.Sort(cands)
	for _, id := range cands {
		if a.exists(id, v) {
			return id
		}
	}
	return 0
}

func titleKey(s string) string {
	k := strings.Join(strings.Fields(strings.ToLower(s)), " ")
	for _, art := range []string{"a ", "an ", "the "} {
		if rest, ok := strings.CutPrefix(k, art); ok && rest != "" {
			return rest
		}
	}
	return k
}

// refFiltered: the query narrows by something other than collection and
// creator.
func refFiltered(q Query) bool {
	return len(q.Include)+len(q.Exclude)+len(q.Ratings)+len(q.ExcludeRatings)+len(q.Warnings)+len(q.ExcludeWarnings)+
		len(q.Categories)+len(q.ExcludeCategories)+len(q.Ranges) > 0 || q.Complete != nil || q.Crossover != "" ||
		q.Language != "" || q.TextIDs != nil || q.WordsFrom != nil || q.WordsTo != nil || !q.UpdatedFrom.IsZero() || !q.UpdatedTo.IsZero()
}

type refResult struct {
	total   int
	ids     []int64
	facets  map[archive.TagType][]Facet
	unknown []string // names that don't exist for the reader
}

func (a *refArchive) search(q Query, v Viewer) refResult {
	var res refResult
	resolveAll := func(refs []TagRef) []int64 {
		var out []int64
		for _, ref := range refs {
			id := a.resolve(ref, v)
			if id == 0 {
				res.unknown = append(res.unknown, ref.Name)
			}
			out = append(out, id)
		}
		return out
	}
	fixed := func(t archive.TagType, names []string) []int64 {
		var refs []TagRef
		for _, n := range names {
			refs = append(refs, TagRef{Type: t, Name: n})
		}
		return resolveAll(refs)
	}
	inc, exc := resolveAll(q.Include), resolveAll(q.Exclude)
	rat, xrat := fixed(archive.TypeRating, q.Ratings), fixed(archive.TypeRating, q.ExcludeRatings)
	war, xwar := fixed(archive.TypeWarning, q.Warnings), fixed(archive.TypeWarning, q.ExcludeWarnings)
	cat, xcat := fixed(archive.TypeCategory, q.Categories), fixed(archive.TypeCategory, q.ExcludeCategories)
	if len(res.unknown) > 0 {
		return res
	}
	all := func(w *refWork, ids []int64) bool {
		for _, id := range ids {
			if !a.matches(w, id) {
				return false
			}
		}
		return true
	}
	none := func(w *refWork, ids []int64) bool {
		for _, id := range ids {
			if a.matches(w, id) {
				return false
			}
		}
		return true
	}
	anyOf := func(w *refWork, ids []int64) bool {
		if len(ids) == 0 {
			return true
		}
		for _, id := range ids {
			if a.matches(w, id) {
				return true
			}
		}
		return false
	}
	var from, to int64 = -1 << 62, 1 << 62
	if !q.UpdatedFrom.IsZero() {
		from = q.UpdatedFrom.Unix()
	}
	if !q.UpdatedTo.IsZero() {
		to = q.UpdatedTo.Unix() + 86400 - 1
	}
	var docs []*refWork
	for _, w := range a.works {
		ok := a.visible(w, v) &&
			all(w, inc) && none(w, exc) &&
			anyOf(w, rat) && none(w, xrat) &&
			all(w, war) && none(w, xwar) &&
			all(w, cat) && none(w, xcat)
		if !ok {
			continue
		}
		if q.CreatorUserID != 0 && (!slices.Contains(w.CreatorUserIDs, q.CreatorUserID) || w.hidesCreators() && v.UserID != q.CreatorUserID) {
			continue
		}
		if len(q.Collections) > 0 && !slices.ContainsFunc(w.Collections, func(c int64) bool { return slices.Contains(q.Collections, c) }) {
			continue
		}
		// A mystery work shows only in an unfiltered collection listing
		// and in its creator's own list of their works.
		own := q.CreatorUserID != 0 && q.CreatorUserID == v.UserID
		if w.Unrevealed && !own && (len(q.Collections) == 0 || refFiltered(q)) {
			continue
		}
		complete := w.ChaptersExpected > 0 && w.ChaptersPosted == w.ChaptersExpected
		if q.Complete != nil && *q.Complete != complete {
			continue
		}
		if q.Crossover != "" && (q.Crossover == "only") != a.crossover(w) {
			continue
		}
		if q.WordsFrom != nil && w.Words < *q.WordsFrom || q.WordsTo != nil && w.Words > *q.WordsTo {
			continue
		}
		if w.UpdatedAt < from || w.UpdatedAt > to {
			continue
		}
		if q.Language != "" && !strings.EqualFold(q.Language, w.Language) {
			continue
		}
		if q.TextIDs != nil && !q.TextIDs.Contains(uint32(w.ID)) {
			continue
		}
		if !inAll(q.Only, w.ID) || inAny(q.Without, w.ID) {
			continue
		}
		inRange := true
		for _, rg := range q.Ranges {
			var x int64
			switch rg.Field {
			case "words":
				x = int64(w.Words)
			case "kudos":
				x = w.Kudos
			case "hits":
				x = w.Hits
			case "comments":
				x = w.Comments
			case "bookmarks":
				x = w.Bookmarks
			}
			if rg.Min >= 0 && x < rg.Min || rg.Max >= 0 && x > rg.Max {
				inRange = false
			}
		}
		if !inRange {
			continue
		}
		docs = append(docs, w)
	}
	res.total = len(docs)
	sortKey, order := q.Sort, q.Order
	if sortKey == "" || sortKey == "relevance" { // relevance without text ranks by date
		sortKey = "updated"
	}
	if order == "" {
		order = "desc"
		if sortKey == "title" || sortKey == "creator" {
			order = "asc"
		}
	}
	slices.SortFunc(docs, func(x, y *refWork) int {
		var c int
		switch sortKey {
		case "updated":
			c = cmp.Compare(x.UpdatedAt, y.UpdatedAt)
		case "posted":
			c = cmp.Compare(x.PostedAt, y.PostedAt)
		case "title":
			c = strings.Compare(titleKey(x.Title), titleKey(y.Title))
		case "creator":
			c = strings.Compare(strings.ToLower(x.FirstPseud), strings.ToLower(y.FirstPseud))
		case "words":
			c = cmp.Compare(x.Words, y.Words)
		case "hits":
			c = cmp.Compare(x.Hits, y.Hits)
		case "kudos":
			c = cmp.Compare(x.Kudos, y.Kudos)
		case "comments":
			c = cmp.Compare(x.Comments, y.Comments)
		case "bookmarks":
			c = cmp.Compare(x.Bookmarks, y.Bookmarks)
		}
		if order == "desc" {
			c = -c
		}
		if c == 0 {
			c = cmp.Compare(y.ID, x.ID) // ties: id descending, either order
		}
		return c
	})
	page, per := max(q.Page, 1), q.PerPage
	if per == 0 {
		per = 20
	}
	for i := (page - 1) * per; i < len(docs) && i < page*per; i++ {
		res.ids = append(res.ids, docs[i].ID)
	}
	// Facets: every filterable tag, counted under the filter rule over the
	// whole result; the top ten per type by count, then name.
	res.facets = map[archive.TagType][]Facet{}
	type fc struct {
		name  string
		count int
	}
	byType := map[archive.TagType][]fc{}
	for _, t := range a.tags {
		if !t.Canonical && t.SynonymOf != 0 {
			continue
		}
		n := 0
		for _, w := range docs {
			if a.matches(w, t.ID) {
				n++
			}
		}
		if n > 0 {
			byType[t.Type] = append(byType[t.Type], fc{t.Name, n})
		}
	}
	for _, typ := range archive.TagTypes {
		list := byType[typ]
		slices.SortFunc(list, func(x, y fc) int {
			if x.count != y.count {
				return cmp.Compare(y.count, x.count)
			}
			return strings.Compare(x.name, y.name)
		})
		facets := []Facet{}
		for i := 0; i < len(list) && i < 10; i++ {
			facets = append(facets, Facet{Name: list[i].name, Count: list[i].count})
		}
		res.facets[typ] = facets
	}
	return res
}

func (a *refArchive) crossover(w *refWork) bool {
	var cls []map[int64]bool
	for _, t := range w.tags() {
		if a.tags[t].Type == archive.TypeFandom {
			cls = append(cls, a.closure(a.canon(t)))
		}
	}
	for i := range cls {
		for j := i + 1; j < len(cls); j++ {
			shared := false
			for k := range cls[i] {
				shared = shared || cls[j][k]
			}
			if !shared {
				return true
			}
		}
	}
	return false
}

// ---- random queries ----

type queryGen struct {
	r *rand.Rand
	a *refArchive
	// hiddenOnly are tag ids that are not canonical and carried only by
	// drafts or hidden works; restrictedOnly by restricted works (and maybe
	// drafts/hidden), so they exist only for logged-in readers.
	hiddenOnly, restrictedOnly []int64
}

func newQueryGen(r *rand.Rand, a *refArchive) *queryGen {
	g := &queryGen{r: r, a: a}
	for _, id := range a.order {
		t := a.tags[id]
		if t.Canonical {
			continue
		}
		guest, member, any := false, false, false
		for _, w := range a.works {
			if slices.Contains(w.tags(), id) {
				any = true
				guest = guest || permitted(w, Viewer{})
				member = member || permitted(w, Viewer{UserID: 1})
			}
		}
		switch {
		case any && !member:
			g.hiddenOnly = append(g.hiddenOnly, id)
		case member && !guest:
			g.restrictedOnly = append(g.restrictedOnly, id)
		}
	}
	return g
}

func (g *queryGen) tagRef() TagRef {
	r, a := g.r, g.a
	var id int64
	switch x := r.IntN(30); {
	case x == 0:
		return TagRef{Name: "No Such Tag"}
	case x == 1 && len(g.hiddenOnly) > 0:
		id = g.hiddenOnly[r.IntN(len(g.hiddenOnly))]
	case x == 2 && len(g.restrictedOnly) > 0:
		id = g.restrictedOnly[r.IntN(len(g.restrictedOnly))]
	default:
		id = a.order[r.IntN(len(a.order))]
	}
	t := a.tags[id]
	ref := TagRef{Name: t.Name}
	switch r.IntN(10) {
	case 0, 1, 2:
		ref.Type = t.Type
	case 3:
		ref.Type = archive.TagTypes[r.IntN(len(archive.TagTypes))] // maybe the wrong type
	}
	switch r.IntN(6) {
	case 0:
		ref.Name = strings.ToUpper(ref.Name)
	case 1:
		ref.Name = " " + strings.ToLower(ref.Name) + " "
	}
	return ref
}

func (g *queryGen) names(vocab []string, max int) []string {
	var out []string
	for range g.r.IntN(max + 1) {
		if g.r.IntN(40) == 0 {
			out = append(out, "Bogus")
			continue
		}
		out = append(out, vocab[g.r.IntN(len(vocab))])
	}
	return out
}

func (g *queryGen) query() Query {
	r := g.r
	var q Query
	maybe := func(p int) bool { return r.IntN(p) == 0 }
	if maybe(2) {
		for range 1 + r.IntN(2) {
			q.Include = append(q.Include, g.tagRef())
		}
	}
	if maybe(3) {
		for range 1 + r.IntN(3) {
			q.Exclude = append(q.Exclude, g.tagRef())
		}
	}
	if maybe(4) {
		q.Ratings = g.names(archive.Ratings, 2)
	}
	if maybe(5) {
		q.ExcludeRatings = g.names(archive.Ratings, 2)
	}
	if maybe(5) {
		q.Warnings = g.names(archive.Warnings, 2)
	}
	if maybe(5) {
		q.ExcludeWarnings = g.names(archive.Warnings, 2)
	}
	if maybe(5) {
		q.Categories = g.names(archive.Categories, 2)
	}
	if maybe(5) {
		q.ExcludeCategories = g.names(archive.Categories, 2)
	}
	if maybe(4) {
		b := maybe(2)
		q.Complete = &b
	}
	if maybe(4) {
		q.Crossover = []string{"only", "exclude"}[r.IntN(2)]
	}
	words := []int{0, 99, 100, 500, 999, 1000, 1001, 4999, 5000, 20000, 20001}
	if maybe(5) {
		n := words[r.IntN(len(words))]
		q.WordsFrom = &n
	}
	if maybe(5) {
		n := words[r.IntN(len(words))]
		q.WordsTo = &n
	}
	day := func() time.Time { return time.Unix(int64(dayBase-1+r.IntN(19))*86400, 0).UTC() }
	if maybe(5) {
		q.UpdatedFrom = day()
	}
	if maybe(5) {
		q.UpdatedTo = day()
	}
	if maybe(6) {
		q.Language = []string{"en", "En", "de", "ja", "xx"}[r.IntN(5)]
	}
	if maybe(5) {
		for range 1 + r.IntN(2) {
			rg := Range{Field: rangeFieldNames[r.IntN(len(rangeFieldNames))], Min: -1, Max: -1}
			if maybe(2) {
				rg.Min = r.Int64N(6)
			}
			if maybe(2) {
				rg.Max = r.Int64N(8)
			}
			if rg.Field == "words" {
				rg.Min, rg.Max = rg.Min*500, rg.Max*1000
				rg.Min, rg.Max = max(rg.Min, -1), max(rg.Max, -1)
			}
			q.Ranges = append(q.Ranges, rg)
		}
	}
	if maybe(8) {
		q.CreatorUserID = 1 + r.Int64N(7)
	}
	if maybe(16) {
		q.Collections = pick(r, []int64{1, 2, 3, 4, 5}, 1, 3)
	}
	if maybe(8) {
		q.TextIDs = roaring.New()
		for id := range g.a.works {
			if maybe(2) {
				q.TextIDs.Add(uint32(id))
			}
		}
	}
	// A reader's own sets: marked for later (Only), read, kudosed … (Without).
	for range r.IntN(3) {
		set := g.someWorks()
		if maybe(3) {
			q.Only = append(q.Only, set)
		} else {
			q.Without = append(q.Without, set)
		}
	}
	q.Sort = Sorts[r.IntN(len(Sorts))]
	if maybe(6) {
		q.Sort = ""
	}
	q.Order = []string{"", "asc", "desc"}[r.IntN(3)]
	q.Page = r.IntN(4)
	q.PerPage = []int{0, 1, 2, 3, 5, 10, 100}[r.IntN(7)]
	return q
}

var rangeFieldNames = []string{"words", "kudos", "hits", "comments", "bookmarks"}

func (g *queryGen) viewer() Viewer {
	r := g.r
	if r.IntN(3) == 0 {
		return Viewer{}
	}
	v := Viewer{UserID: 1 + r.Int64N(6)}
	if r.IntN(3) == 0 {
		for range 1 + r.IntN(2) {
			v.MutedTags = append(v.MutedTags, g.a.order[r.IntN(len(g.a.order))])
		}
	}
	if r.IntN(4) == 0 {
		v.MutedUsers = append(v.MutedUsers, 1+r.Int64N(6))
	}
	if r.IntN(3) == 0 {
		v.Hidden = g.someWorks()
	}
	return v
}

// someWorks is a random set of a few of the archive's works.
func (g *queryGen) someWorks() *roaring.Bitmap {
	b := roaring.New()
	for id := range g.a.works {
		if g.r.IntN(4) == 0 {
			b.Add(uint32(id))
		}
	}
	return b
}

func inAll(sets []*roaring.Bitmap, id int64) bool {
	for _, s := range sets {
		if !s.Contains(uint32(id)) {
			return false
		}
	}
	return true
}

func inAny(sets []*roaring.Bitmap, id int64) bool {
	for _, s := range sets {
		if s.Contains(uint32(id)) {
			return true
		}
	}
	return false
}

// ---- the test ----

func describeQuery(q Query) string {
	var b strings.Builder
	add := func(k string, v any) { fmt.Fprintf(&b, "%s=%v ", k, v) }
	if len(q.Include) > 0 {
		add("include", q.Include)
	}
	if len(q.Exclude) > 0 {
		add("exclude", q.Exclude)
	}
	for k, v := range map[string][]string{"rating": q.Ratings, "exclude_rating": q.ExcludeRatings, "warning": q.Warnings,
		"exclude_warning": q.ExcludeWarnings, "category": q.Categories, "exclude_category": q.ExcludeCategories} {
		if len(v) > 0 {
			add(k, fmt.Sprintf("%q", v))
		}
	}
	if q.Complete != nil {
		add("complete", *q.Complete)
	}
	if q.Crossover != "" {
		add("crossover", q.Crossover)
	}
	if q.WordsFrom != nil {
		add("words_from", *q.WordsFrom)
	}
	if q.WordsTo != nil {
		add("words_to", *q.WordsTo)
	}
	if !q.UpdatedFrom.IsZero() {
		add("updated_from", q.UpdatedFrom.Format(time.DateOnly))
	}
	if !q.UpdatedTo.IsZero() {
		add("updated_to", q.UpdatedTo.Format(time.DateOnly))
	}
	if q.Language != "" {
		add("language", q.Language)
	}
	if len(q.Ranges) > 0 {
		add("ranges", q.Ranges)
	}
	if len(q.Collections) > 0 {
		add("collections", q.Collections)
	}
	if q.CreatorUserID != 0 {
		add("creator", q.CreatorUserID)
	}
	if q.TextIDs != nil {
		add("text_ids", q.TextIDs.ToArray())
	}
	for _, o := range q.Only {
		add("only", o.ToArray())
	}
	for _, o := range q.Without {
		add("without", o.ToArray())
	}
	add("sort", q.Sort)
	add("order", q.Order)
	add("page", q.Page)
	add("per_page", q.PerPage)
	return b.String()
}

// describeTags prints the vocabulary, for a failing seed.
func (a *refArchive) describeTags() string {
	var b strings.Builder
	for _, id := range a.order {
		t := a.tags[id]
		fmt.Fprintf(&b, "  tag %d %s %q canonical=%v synonym_of=%d meta=%v\n", id, t.Type, t.Name, t.Canonical, t.SynonymOf, t.Meta)
	}
	return b.String()
}

type propStats struct {
	queries, errors, unknownHidden, unknownRestricted, nonEmpty, paged, facets int
}

// check runs one query on the index and the reference and reports a difference.
func check(ix *Index, a *refArchive, g *queryGen, q Query, v Viewer, st *propStats) string {
	want := a.search(q, v)
	qc := q
	got, err := ix.Search(qc, v)
	st.queries++
	if len(want.unknown) > 0 {
		st.errors++
		var ute *UnknownTagError
		if !errors.As(err, &ute) {
			return fmt.Sprintf("want an UnknownTagError (unknown: %q), got err=%v total=%d ids=%v", want.unknown, err, got.Total, got.IDs)
		}
		if !slices.Contains(want.unknown, ute.Name) {
			return fmt.Sprintf("UnknownTagError names %q; the unknown names are %q", ute.Name, want.unknown)
		}
		for _, ref := range append(slices.Clone(q.Include), q.Exclude...) {
			for _, n := range a.tags {
				if archive.TagKey(n.Name) == archive.TagKey(ref.Name) && slices.Contains(g.hiddenOnly, n.ID) {
					st.unknownHidden++
				}
				if archive.TagKey(n.Name) == archive.TagKey(ref.Name) && slices.Contains(g.restrictedOnly, n.ID) && !v.LoggedIn() {
					st.unknownRestricted++
				}
			}
		}
		return ""
	}
	if err != nil {
		return fmt.Sprintf("unexpected error %v", err)
	}
	if got.Total != want.total {
		return fmt.Sprintf("total %d, want %d (page ids %v, want %v)", got.Total, want.total, got.IDs, want.ids)
	}
	if !slices.Equal(got.IDs, want.ids) {
		return fmt.Sprintf("ids %v, want %v", got.IDs, want.ids)
	}
	if want.total > 0 {
		st.nonEmpty++
	}
	if len(want.ids) > 0 && q.Page > 1 {
		st.paged++
	}
	for _, typ := range archive.TagTypes {
		gf := got.Facets[typ]
		if gf == nil {
			gf = []Facet{}
		}
		if !slices.Equal(gf, want.facets[typ]) {
			return fmt.Sprintf("%s facets %v, want %v", typ, gf, want.facets[typ])
		}
		if len(gf) > 0 {
			st.facets++
		}
	}
	return ""
}

func TestSearchMatchesReference(t *testing.T) {
	iterations := 200
	if testing.Short() {
		iterations = 40
	}
	var st propStats
	failedSeeds := 0
	for seed := uint64(1); seed <= uint64(iterations); seed++ {
		r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
		a := genArchive(r)
		ix := New(a.graph())
		if seed%2 == 0 {
			ix.parallelTallyAt = 2 // exercise the two-goroutine facet count
			ix.bitsetWalkAt = 1    // and walks testing membership in a pooled bitset
		}
		if seed%3 != 0 {
			ix.boundedFacetsAt = 1 // exercise facets by bounds
			ix.filterSetCap = 3    // and the filter-set cache evicting when full
		}
		if seed%5 != 0 {
			ix.facetBaseAt = 1 // facets as a popular tag's base less what the query took out
		}
		if seed%4 != 1 {
			ix.cutsFrom, ix.cutsAbove = 1, 0 // ranges through threshold sets, chosen again as works are added
		}
		for _, w := range a.works {
			ix.Put(w.IndexRow)
		}
		failed := false
		// Queries asked before are asked again after every write phase:
		// their facets were cached, and the writes must not leave them stale.
		type asked struct {
			q Query
			v Viewer
		}
		var past []asked
		run := func(phase string, n int) {
			if failed {
				return
			}
			g := newQueryGen(r, a)
			for i := 0; i < 10; i++ {
				id, v := a.order[r.IntN(len(a.order))], g.viewer()
				if msg := checkTag(ix, a, id, v); msg != "" {
					t.Errorf("seed %d, %s: tag %d (%+v), viewer %+v: %s", seed, phase, id, a.tags[id].Tag, v, msg)
					failed = true
					return
				}
			}
			for i, p := range past {
				if msg := check(ix, a, g, p.q, p.v, &st); msg != "" {
					t.Errorf("seed %d, %s, earlier query #%d asked again: %s\n  query: %s\n  viewer: %+v",
						seed, phase, i, msg, describeQuery(p.q), p.v)
					failed = true
					return
				}
			}
			for i := 0; i < n; i++ {
				q, v := g.query(), g.viewer()
				if msg := check(ix, a, g, q, v, &st); msg != "" {
					t.Errorf("seed %d, %s, query #%d: %s\n  query: %s\n  viewer: %+v\n  works: %d, vocabulary:\n%s",
						seed, phase, i, msg, describeQuery(q), v, len(a.works), a.describeTags())
					failed = true
					return
				}
				if i < 8 {
					past = append(past, asked{q, v})
				}
			}
		}
		run("after Put", 40)

		// Remove some works, then put some back changed (replacing), and add new ones.
		var removed []*refWork
		for id, w := range a.works {
			if r.IntN(4) == 0 {
				ix.Remove(id)
				delete(a.works, id)
				removed = append(removed, w)
			}
		}
		ix.Remove(1_000_000) // removing an unknown id is harmless
		run("after Remove", 20)
		for _, w := range removed {
			if r.IntN(2) == 0 {
				continue
			}
			nw := a.genWork(r, w.ID) // same id, new tags and fields
			a.works[w.ID] = nw
			ix.Put(nw.IndexRow)
		}
		for id := range a.works {
			if r.IntN(6) == 0 { // replace in place without removing
				nw := a.genWork(r, id)
				a.works[id] = nw
				ix.Put(nw.IndexRow)
			}
		}
		run("after re-Put", 20)

		// Wrangle again: new canonical flags, synonyms and meta tags.
		a.wrangle(r)
		ix.SetGraph(a.graph())
		run("after SetGraph", 40)

		// Counters change without a Put.
		for id, w := range a.works {
			if r.IntN(3) == 0 {
				w.Hits, w.Kudos, w.Comments, w.Bookmarks = r.Int64N(8), r.Int64N(5), r.Int64N(4), r.Int64N(3)
				ix.SetCounts(id, w.Hits, w.Kudos, w.Comments, w.Bookmarks)
			}
			if r.IntN(5) == 0 {
				n := 1 + r.Int64N(3)
				w.Hits += n
				ix.AddHits(id, n)
			}
		}
		run("after SetCounts", 20)
		if ix.Len() != len(a.works) {
			t.Errorf("seed %d: Len %d, want %d", seed, ix.Len(), len(a.works))
		}
		if failed {
			if failedSeeds++; failedSeeds >= 5 {
				return
			}
		}
	}
	t.Logf("%d queries: %d unknown-tag errors (%d naming draft/hidden-only tags, %d restricted-only for guests), %d non-empty, %d later pages, %d non-empty facet lists",
		st.queries, st.errors, st.unknownHidden, st.unknownRestricted, st.nonEmpty, st.paged, st.facets)
	// The generator must reach the interesting cases.
	// (a fifth: collection queries and mystery works narrow many results)
	if st.unknownHidden == 0 || st.unknownRestricted == 0 || st.nonEmpty < st.queries/5 || st.paged == 0 {
		t.Errorf("weak coverage: %+v", st)
	}
}

// checkTag compares the per-tag answers (tag pages, autocomplete) with the reference.
func checkTag(ix *Index, a *refArchive, id int64, v Viewer) string {
	if got, want := ix.TagVisible(id, v), a.exists(id, v); got != want {
		return fmt.Sprintf("TagVisible = %v, want %v", got, want)
	}
	if got, want := len(ix.VisibleTags([]int64{id}, v)) == 1, a.exists(id, v); got != want {
		return fmt.Sprintf("VisibleTags keeps it = %v, want %v", got, want)
	}
	count, uses := 0, 0
	for _, w := range a.works {
		if a.visible(w, v) && a.matches(w, id) {
			count++
		}
		if a.visible(w, v) && slices.Contains(w.tags(), id) {
			uses++
		}
	}
	if got := ix.TagWorkCount(id, v); got != count {
		return fmt.Sprintf("TagWorkCount = %d, want %d", got, count)
	}
	if got := ix.TagUses([]int64{id}, v)[id]; got != uses {
		return fmt.Sprintf("TagUses = %d, want %d", got, uses)
	}
	return ""
}

// TestConcurrentUse runs searches while works and wrangling change (run
// with -race); results are not compared, only safety.
func TestConcurrentUse(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	a := genArchive(r)
	ix := New(a.graph())
	// Every cache and shortcut on, so the race detector sees them shared.
	ix.facetBaseAt, ix.filterSetCap, ix.cutsFrom, ix.cutsAbove, ix.bitsetWalkAt = 1, 3, 1, 0, 1
	ix.parallelTallyAt, ix.boundedFacetsAt = 2, 1
	for _, w := range a.works {
		ix.Put(w.IndexRow)
	}
	g := newQueryGen(r, a)
	type job struct {
		q Query
		v Viewer
	}
	var jobs [][]job
	for range 4 {
		var js []job
		for range 200 {
			js = append(js, job{g.query(), g.viewer()})
		}
		jobs = append(jobs, js)
	}
	var rows []store.IndexRow
	for id := range a.works {
		rows = append(rows, a.genWork(r, id).IndexRow)
	}
	a.wrangle(r)
	g2 := a.graph()
	done := make(chan struct{})
	for _, js := range jobs {
		go func() {
			defer func() { done <- struct{}{} }()
			for _, j := range js {
				if _, err := ix.Search(j.q, j.v); err != nil {
					var ute *UnknownTagError
					if !errors.As(err, &ute) {
						t.Errorf("Search: %v", err)
					}
				}
				ix.TagWorkCount(a.order[0], j.v)
			}
		}()
	}
	for i, row := range rows {
		switch i % 4 {
		case 0:
			ix.Remove(row.ID)
		case 1:
			ix.SetCounts(row.ID, 1, 2, 3, 4)
			ix.AddHits(row.ID, 1)
		}
		ix.Put(row)
		if i == len(rows)/2 {
			ix.SetGraph(g2)
		}
	}
	for range jobs {
		<-done
	}
	if ix.Len() != len(a.works) || ix.Graph() != g2 || ix.Version() == 0 {
		t.Errorf("after the writes: Len %d, want %d", ix.Len(), len(a.works))
	}
}
