package site

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/store"
	"quire/internal/tags"
)

// TagInfo is one tag with its wrangling, as a viewer may see it: names of
// tags the viewer may not know about are left out.
type TagInfo struct {
	archive.Tag
	SynonymOf     string // the canonical tag's name; "" when not a synonym
	Synonyms      []string
	Meta          []string
	Sub           []string
	ParentFandoms []string
	// Works is how many works the viewer may see that a filter on the tag matches.
	Works int
}

// Unwrangled reports whether nobody has wrangled the tag yet.
func (t *TagInfo) Unwrangled() bool { return !t.Canonical && t.SynonymOf == "" }

// Fixed reports whether the tag belongs to a fixed vocabulary (ratings,
// warnings, categories), which wranglers can't change.
func (t *TagInfo) Fixed() bool { return archive.FixedVocabulary(t.Type) != nil }

// HasParents reports whether tags of this type may have parent fandoms.
func (t *TagInfo) HasParents() bool { return hasParents(t.Type) }

func hasParents(t archive.TagType) bool {
	return t == archive.TypeCharacter || t == archive.TypeRelationship || t == archive.TypeFreeform
}

// existenceViewer is v without mutes: mutes hide works from listings but
// don't change which tags exist for the reader (SPEC).
func existenceViewer(u *archive.User) listing.Viewer {
	return listing.Viewer{UserID: ViewerOf(u).UserID}
}

// knownTags keeps the ids the viewer may know exist: canonical tags, and
// tags carried by a work the viewer may see. One pass over the index for
// all of them.
func (s *Site) knownTags(g *tags.Graph, u *archive.User, ids []int64) []int64 {
	var rest []int64
	for _, id := range ids {
		if n := g.Node(id); n != nil && !n.Canonical {
			rest = append(rest, id)
		}
	}
	var uses map[int64]int
	if len(rest) > 0 {
		uses = s.Index.TagUses(rest, existenceViewer(u))
	}
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if n := g.Node(id); n != nil && (n.Canonical || uses[id] > 0) {
			out = append(out, id)
		}
	}
	return out
}

// findTag resolves a name (and optional type) to the tag the viewer means.
// The same name may exist in several types: a canonical one wins, then the
// lowest id.
func (s *Site) findTag(g *tags.Graph, u *archive.User, t archive.TagType, name string) (*tags.Node, error) {
	var ids []int64
	for _, n := range g.Lookup(t, name) {
		ids = append(ids, n.ID)
	}
	var best *tags.Node
	for _, id := range s.knownTags(g, u, ids) {
		if n := g.Node(id); best == nil || n.Canonical && !best.Canonical {
			best = n
		}
	}
	if best == nil {
		return nil, fmt.Errorf("tag %q: %w", name, archive.ErrNotFound)
	}
	return best, nil
}

// TagInfo describes the tag named name (of type t, or any type when t is
// ""), or returns archive.ErrNotFound when it does not exist for u.
func (s *Site) TagInfo(ctx context.Context, u *archive.User, t archive.TagType, name string) (*TagInfo, error) {
	g := s.Index.Graph()
	n, err := s.findTag(g, u, t, name)
	if err != nil {
		return nil, err
	}
	return s.tagInfo(ctx, g, u, n), nil
}

func (s *Site) tagInfo(ctx context.Context, g *tags.Graph, u *archive.User, n *tags.Node) *TagInfo {
	names := func(ids []int64) []string {
		out := []string{}
		for _, id := range s.knownTags(g, u, ids) {
			out = append(out, g.Node(id).Name)
		}
		sortNames(out)
		return out
	}
	info := &TagInfo{
		Tag:           n.Tag,
		Synonyms:      names(g.Synonyms(n.ID)),
		Meta:          names(n.Meta),
		Sub:           names(g.Subs(n.ID)),
		ParentFandoms: names(n.Parents),
		Works:         s.Index.TagWorkCount(n.ID, s.viewerOrGuest(ctx, u)),
	}
	if n.SynonymOf != 0 && !n.Canonical {
		if c := g.Node(n.SynonymOf); c != nil {
			info.SynonymOf = c.Name
		}
	}
	return info
}

func sortNames(names []string) {
	slices.SortFunc(names, func(a, b string) int {
		if c := strings.Compare(archive.TagKey(a), archive.TagKey(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}

// TagChange is one wrangling edit; nil and empty fields change nothing.
type TagChange struct {
	Canonical *bool
	// SynonymOf names the canonical tag this one becomes a synonym of; ""
	// makes it no longer a synonym.
	SynonymOf    *string
	MetaAdd      []string
	MetaRemove   []string
	ParentAdd    []string
	ParentRemove []string
	// Media gives a canonical fandom its medium (one of archive.Media);
	// "" takes it away.
	Media *string
}

// Empty reports whether the change changes nothing.
func (c TagChange) Empty() bool {
	return c.Canonical == nil && c.SynonymOf == nil && c.Media == nil &&
		len(c.MetaAdd)+len(c.MetaRemove)+len(c.ParentAdd)+len(c.ParentRemove) == 0
}

// CanWrangle reports whether u may wrangle tags (wranglers and admins).
func CanWrangle(u *archive.User) bool { return u.Has(archive.RoleWrangler) }

// requireWrangler refuses guests (ErrAuth) and readers (ErrForbidden).
func requireWrangler(u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !CanWrangle(u) {
		return fmt.Errorf("only tag wranglers may do this: %w", archive.ErrForbidden)
	}
	return nil
}

// Wrangle applies a change to the tag named name (of type t, or any type)
// and returns the tag as it is afterwards. Everything is validated before
// the first write, so a change that breaks a rule changes nothing. Every
// listing reflects the change from the next request on.
func (s *Site) Wrangle(ctx context.Context, u *archive.User, t archive.TagType, name string, c TagChange) (*TagInfo, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	n, err := s.findTag(s.Index.Graph(), u, t, name)
	if err != nil {
		return nil, err
	}
	if err := requireWrangler(u); err != nil {
		return nil, err
	}
	if c.Empty() {
		return s.tagInfo(ctx, s.Index.Graph(), u, n), nil
	}
	s.wrangleMu.Lock()
	defer s.wrangleMu.Unlock()
	// Validate against the store, not the index's snapshot: it is what the
	// writes below change.
	rows, err := s.store.AllTags(ctx)
	if err != nil {
		return nil, fmt.Errorf("wrangle %q: %w", name, err)
	}
	plan, err := s.planWrangle(u, rows, n.ID, c)
	if err != nil {
		return nil, err
	}
	werr := s.applyWrangle(ctx, plan)
	// Each write is valid on its own, so whatever landed is consistent and
	// the index must show it even when a later write failed.
	if err := s.RefreshGraph(ctx); err != nil && werr == nil {
		werr = err
	}
	if werr != nil {
		return nil, fmt.Errorf("wrangle %q: %w", name, werr)
	}
	g := s.Index.Graph()
	after := g.Node(n.ID)
	if after == nil {
		return nil, fmt.Errorf("wrangle %q: tag vanished: %w", name, archive.ErrNotFound)
	}
	return s.tagInfo(ctx, g, u, after), nil
}

// wranglePlan is a validated change: the tag before and after.
type wranglePlan struct {
	id                       int64
	before, after            store.TagRow
	metaAdd, metaRemove      []int64
	parentAdd, parentRemove  []int64
	canonicalSet, synonymSet bool
	mediaSet                 bool
}

// planWrangle checks a change against the whole vocabulary as it would be
// afterwards.
func (s *Site) planWrangle(u *archive.User, rows []store.TagRow, id int64, c TagChange) (*wranglePlan, error) {
	g := listing.GraphFromRows(rows)
	cur := g.Node(id)
	if cur == nil {
		return nil, fmt.Errorf("tag %d: %w", id, archive.ErrNotFound)
	}
	if archive.FixedVocabulary(cur.Type) != nil {
		return nil, archive.Invalid("tag", "%s tags are a fixed vocabulary and can't be wrangled", cur.Type)
	}
	if c.Canonical != nil && *c.Canonical && c.SynonymOf != nil && strings.TrimSpace(*c.SynonymOf) != "" {
		return nil, archive.Invalid("canonical", "%q can't be canonical and a synonym at once", cur.Name)
	}
	if (len(c.ParentAdd) > 0 || len(c.ParentRemove) > 0) && !hasParents(cur.Type) {
		return nil, archive.Invalid("parent_fandoms", "%q is a %s; only characters, relationships and additional tags have parent fandoms", cur.Name, cur.Type)
	}

	p := &wranglePlan{id: id}
	p.before = store.TagRow{Tag: cur.Tag, Meta: slices.Clone(cur.Meta), Parents: slices.Clone(cur.Parents)}
	after := store.TagRow{Tag: cur.Tag, Meta: slices.Clone(cur.Meta), Parents: slices.Clone(cur.Parents)}

	// Resolve every name first: a missing one is named in the error.
	var err error
	if c.SynonymOf != nil {
		after.SynonymOf = 0
		if name := strings.TrimSpace(*c.SynonymOf); name != "" {
			if after.SynonymOf, err = s.namedTag(g, u, "synonym_of", cur.Type, name); err != nil {
				return nil, err
			}
			after.Canonical = false // a synonym is never canonical (as AO3)
		}
	}
	if c.Canonical != nil {
		after.Canonical = *c.Canonical
		if after.Canonical {
			after.SynonymOf = 0
		}
	}
	if p.metaRemove, err = s.namedTags(g, u, "meta", cur.Type, c.MetaRemove); err != nil {
		return nil, err
	}
	if p.metaAdd, err = s.namedTags(g, u, "meta", cur.Type, c.MetaAdd); err != nil {
		return nil, err
	}
	if p.parentRemove, err = s.namedTags(g, u, "parent_fandoms", archive.TypeFandom, c.ParentRemove); err != nil {
		return nil, err
	}
	if p.parentAdd, err = s.namedTags(g, u, "parent_fandoms", archive.TypeFandom, c.ParentAdd); err != nil {
		return nil, err
	}
	after.Meta = edit(after.Meta, p.metaRemove, p.metaAdd)
	after.Parents = edit(after.Parents, p.parentRemove, p.parentAdd)
	p.metaRemove = intersect(p.metaRemove, p.before.Meta)
	p.parentRemove = intersect(p.parentRemove, p.before.Parents)
	p.metaAdd = minus(p.metaAdd, p.before.Meta)
	p.parentAdd = minus(p.parentAdd, p.before.Parents)
	if c.Media != nil {
		after.Media = ""
		if name := strings.TrimSpace(*c.Media); name != "" {
			m, ok := archive.MediumNamed(name)
			if !ok {
				return nil, archive.Invalid("media", "%q is not a medium; the media are %s", name, strings.Join(archive.Media, ", "))
			}
			if cur.Type != archive.TypeFandom {
				return nil, archive.Invalid("media", "%q is a %s; only fandoms have media", cur.Name, cur.Type)
			}
			if !after.Canonical {
				return nil, archive.Invalid("media", "%q is not canonical; only canonical fandoms have media", cur.Name)
			}
			after.Media = m
		}
	}
	if !after.Canonical {
		after.Media = "" // the directory lists canonical fandoms only
	}
	p.after = after
	p.mediaSet = after.Media != p.before.Media
	p.canonicalSet = after.Canonical != p.before.Canonical
	p.synonymSet = after.SynonymOf != p.before.SynonymOf

	// The vocabulary as it would be, checked as a whole.
	next := make([]store.TagRow, len(rows))
	copy(next, rows)
	for i := range next {
		if next[i].ID == id {
			next[i] = after
		}
	}
	ng := listing.GraphFromRows(next)
	nameList := func(ids []int64) string {
		var out []string
		for _, x := range ids {
			out = append(out, ng.Node(x).Name)
		}
		sortNames(out)
		return strings.Join(out, ", ")
	}
	if after.SynonymOf == id {
		return nil, ng.CheckSynonym(id, id) // says it can't be its own synonym
	}
	if !after.Canonical {
		why := "non-canonical"
		if after.SynonymOf != 0 {
			why = "a synonym"
		}
		if syn := ng.Synonyms(id); len(syn) > 0 {
			return nil, archive.Invalid("canonical", "%q has synonyms (%s); make them synonyms of another tag before making it %s", cur.Name, nameList(syn), why)
		}
		if subs := ng.Subs(id); len(subs) > 0 {
			return nil, archive.Invalid("canonical", "%q is the meta tag of %s; remove it from them before making it %s", cur.Name, nameList(subs), why)
		}
		// (Meta tags this change adds are refused by CheckMeta below.)
		if kept := minus(after.Meta, p.metaAdd); len(kept) > 0 {
			return nil, archive.Invalid("canonical", "%q has meta tags (%s); remove them before making it %s", cur.Name, nameList(kept), why)
		}
		if cur.Type == archive.TypeFandom {
			var children []int64
			for _, r := range rows {
				if slices.Contains(r.Parents, id) {
					children = append(children, r.ID)
				}
			}
			if len(children) > 0 {
				return nil, archive.Invalid("canonical", "%q is the parent fandom of %s; remove it from them before making it %s", cur.Name, nameList(children), why)
			}
		}
	}
	if p.synonymSet && after.SynonymOf != 0 {
		if err := ng.CheckSynonym(id, after.SynonymOf); err != nil {
			return nil, err
		}
	}
	for _, m := range p.metaAdd {
		// Checked on the graph that already holds every new edge, so a
		// cycle made by two edges of one change is found too.
		if err := ng.CheckMeta(id, m); err != nil {
			return nil, err
		}
	}
	for _, f := range p.parentAdd {
		if fn := ng.Node(f); !fn.Canonical {
			return nil, archive.Invalid("parent_fandoms", "%q is not canonical; only canonical fandoms can be parent fandoms", fn.Name)
		}
	}
	return p, nil
}

// namedTag resolves a tag a change names. The tag's own type is tried first;
// a tag of another type is returned so the graph's checks can say that the
// types differ (except for parent fandoms, which must be fandoms).
func (s *Site) namedTag(g *tags.Graph, u *archive.User, field string, t archive.TagType, name string) (int64, error) {
	if n, err := s.findTag(g, u, t, name); err == nil {
		return n.ID, nil
	}
	if n, err := s.findTag(g, u, "", name); err == nil {
		if field == "parent_fandoms" {
			return 0, archive.Invalid(field, "%q is a %s, not a fandom", n.Name, n.Type)
		}
		return n.ID, nil
	}
	return 0, archive.Invalid(field, "there is no %s tag named %q", t, strings.TrimSpace(name))
}

func (s *Site) namedTags(g *tags.Graph, u *archive.User, field string, t archive.TagType, names []string) ([]int64, error) {
	var out []int64
	for _, name := range names {
		if strings.TrimSpace(name) == "" {
			continue
		}
		id, err := s.namedTag(g, u, field, t, name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// edit returns list without remove, plus add.
func edit(list, remove, add []int64) []int64 {
	out := minus(list, remove)
	for _, a := range add {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func minus(list, remove []int64) []int64 {
	var out []int64
	for _, x := range list {
		if !slices.Contains(remove, x) {
			out = append(out, x)
		}
	}
	return out
}

func intersect(a, b []int64) []int64 {
	var out []int64
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// applyWrangle writes a validated plan. The order keeps every intermediate
// state valid: a tag stops being canonical before it becomes a synonym, and
// stops being a synonym before it becomes canonical.
func (s *Site) applyWrangle(ctx context.Context, p *wranglePlan) error {
	st := s.store
	if p.mediaSet && p.after.Media == "" {
		if err := st.SetTagMedia(ctx, p.id, ""); err != nil {
			return err
		}
	}
	if p.after.Canonical {
		if p.synonymSet {
			if err := st.SetSynonym(ctx, p.id, 0); err != nil {
				return err
			}
		}
		if p.canonicalSet {
			if err := st.SetCanonical(ctx, p.id, true); err != nil {
				return err
			}
		}
	} else {
		if p.canonicalSet {
			if err := st.SetCanonical(ctx, p.id, false); err != nil {
				return err
			}
		}
		if p.synonymSet {
			if err := st.SetSynonym(ctx, p.id, p.after.SynonymOf); err != nil {
				return err
			}
		}
	}
	for _, m := range p.metaRemove {
		if err := st.RemoveMeta(ctx, p.id, m); err != nil {
			return err
		}
	}
	for _, f := range p.parentRemove {
		if err := st.RemoveParent(ctx, p.id, f); err != nil {
			return err
		}
	}
	for _, m := range p.metaAdd {
		if err := st.AddMeta(ctx, p.id, m); err != nil {
			return err
		}
	}
	for _, f := range p.parentAdd {
		if err := st.AddParent(ctx, p.id, f); err != nil {
			return err
		}
	}
	if p.mediaSet && p.after.Media != "" {
		if err := st.SetTagMedia(ctx, p.id, p.after.Media); err != nil {
			return err
		}
	}
	return nil
}

// UnwrangledTag is a tag nobody has wrangled yet, with how many works carry it.
type UnwrangledTag struct {
	archive.Tag
	Works int
	// Fandoms are the (canonical) fandoms of the works that carry it.
	Fandoms []string
}

// UnwrangledPage is one page of unwrangled tags.
type UnwrangledPage struct {
	Fandom  string // the fandom filtered on, as named by its tag; "" for all
	Tags    []UnwrangledTag
	Total   int
	Page    int
	PerPage int
}

// LastPage is the number of the last page (at least 1).
func (p *UnwrangledPage) LastPage() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// UnwrangledPerPage is how many unwrangled tags a page shows.
const UnwrangledPerPage = 50

// UnwrangledTags lists the tags that are neither canonical nor synonyms and
// that works u may see carry, most used first. With a fandom, only tags on
// works in that fandom (by the filter rule) count. Wranglers only.
func (s *Site) UnwrangledTags(ctx context.Context, u *archive.User, fandom string, page int) (*UnwrangledPage, error) {
	if err := requireWrangler(u); err != nil {
		return nil, err
	}
	if page < 1 || page > listing.MaxPage {
		return nil, archive.Invalid("page", "must be a whole number from 1 to %d", listing.MaxPage)
	}
	g := s.Index.Graph()
	out := &UnwrangledPage{Page: page, PerPage: UnwrangledPerPage, Tags: []UnwrangledTag{}}
	var inFandom map[int64]bool // fandom tags a work must carry one of
	var self int64
	if fandom = strings.TrimSpace(fandom); fandom != "" {
		f, err := s.findTag(g, u, archive.TypeFandom, fandom)
		if err != nil {
			return nil, archive.Invalid("fandom", "there is no fandom named %q", fandom)
		}
		out.Fandom, self = f.Name, f.ID
		inFandom = map[int64]bool{}
		for _, id := range g.Expand(f.ID) {
			inFandom[id] = true
		}
	}
	// The index answers counts but not which tags share a work, so this
	// walks the works once. It is a wranglers' page; see the closing note
	// for the index method that would make it cheap.
	counts := map[int64]int{}
	fandomsOf := map[int64]map[int64]bool{}
	err := s.store.IndexRows(ctx, func(r store.IndexRow) error {
		if r.Draft || r.Hidden {
			return nil // u is logged in: restricted works count
		}
		var fandoms []int64
		matched := inFandom == nil
		for _, t := range r.TagIDs {
			if n := g.Node(t); n != nil && n.Type == archive.TypeFandom {
				fandoms = append(fandoms, g.FilterTag(t))
				matched = matched || inFandom[t]
			}
		}
		if !matched {
			return nil
		}
		for _, t := range r.TagIDs {
			n := g.Node(t)
			if n == nil || n.Canonical || n.SynonymOf != 0 || t == self || archive.FixedVocabulary(n.Type) != nil {
				continue
			}
			counts[t]++
			set := fandomsOf[t]
			if set == nil {
				set = map[int64]bool{}
				fandomsOf[t] = set
			}
			for _, f := range fandoms {
				if f != t {
					set[f] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("unwrangled tags: %w", err)
	}
	ids := make([]int64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if counts[a] != counts[b] {
			return cmp.Compare(counts[b], counts[a])
		}
		if c := strings.Compare(archive.TagKey(g.Node(a).Name), archive.TagKey(g.Node(b).Name)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	out.Total = len(ids)
	from := (page - 1) * out.PerPage
	for i := from; i < len(ids) && i < from+out.PerPage; i++ {
		id := ids[i]
		ut := UnwrangledTag{Tag: g.Node(id).Tag, Works: counts[id], Fandoms: []string{}}
		for f := range fandomsOf[id] {
			if n := g.Node(f); n != nil {
				ut.Fandoms = append(ut.Fandoms, n.Name)
			}
		}
		sortNames(ut.Fandoms)
		out.Tags = append(out.Tags, ut)
	}
	return out, nil
}

// TagSuggestion is one autocomplete answer.
type TagSuggestion struct {
	archive.Tag
	// Works is how many works the viewer may see that a filter on it matches.
	Works int
}

// MaxSuggestions caps autocomplete answers.
const MaxSuggestions = 20

// Autocomplete suggests filterable tags (canonical and unwrangled ones) of
// type t (any when "") whose name, or a word in it, starts with prefix
// (ignoring case): canonical tags first, then by how many works u may see
// carry the tag or its synonyms. A synonym that matches suggests its
// canonical tag. Tags u may not know about are never suggested.
func (s *Site) Autocomplete(ctx context.Context, u *archive.User, t archive.TagType, prefix string, limit int) ([]TagSuggestion, error) {
	key := archive.TagKey(prefix)
	if key == "" {
		return nil, archive.Invalid("q", "can't be blank")
	}
	if limit <= 0 || limit > MaxSuggestions {
		limit = MaxSuggestions
	}
	g := s.Index.Graph()
	type match struct {
		id    int64
		start int // byte offset of the match in the folded name
	}
	var matches []match
	var need []int64 // every id whose uses matter: one TagUses call
	targets := map[int64]bool{}
	g.EachName(func(name string, ids []int64) {
		start, ok := matchWordStart(name, key)
		if !ok {
			return
		}
		for _, id := range ids {
			n := g.Node(id)
			if n == nil || t != "" && n.Type != t {
				continue
			}
			matches = append(matches, match{n.ID, start})
			need = append(need, n.ID)
			if target := g.FilterTag(n.ID); !targets[target] {
				targets[target] = true
				need = append(need, target)
				need = append(need, g.Synonyms(target)...)
			}
		}
	})
	uses := s.Index.TagUses(need, existenceViewer(u))
	known := func(id int64) bool { n := g.Node(id); return n != nil && (n.Canonical || uses[id] > 0) }
	type cand struct {
		node    *tags.Node
		inWord  bool // matched only inside the name, not at its start
		popular int
	}
	byID := map[int64]*cand{}
	for _, m := range matches {
		if !known(m.id) {
			continue
		}
		// A synonym that matches suggests its canonical tag.
		target := g.FilterTag(m.id)
		if !known(target) {
			continue
		}
		c := byID[target]
		if c == nil {
			c = &cand{node: g.Node(target), inWord: true, popular: uses[target]}
			for _, syn := range g.Synonyms(target) {
				c.popular += uses[syn]
			}
			byID[target] = c
		}
		c.inWord = c.inWord && m.start > 0
	}
	list := make([]*cand, 0, len(byID))
	for _, c := range byID {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b *cand) int {
		switch {
		case a.node.Canonical != b.node.Canonical:
			if a.node.Canonical {
				return -1
			}
			return 1
		case a.popular != b.popular:
			return cmp.Compare(b.popular, a.popular)
		case a.inWord != b.inWord:
			if !a.inWord {
				return -1
			}
			return 1
		}
		if c := strings.Compare(archive.TagKey(a.node.Name), archive.TagKey(b.node.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.node.ID, b.node.ID)
	})
	if len(list) > limit {
		list = list[:limit]
	}
	v := s.viewerOrGuest(ctx, u)
	out := make([]TagSuggestion, 0, len(list))
	for _, c := range list {
		out = append(out, TagSuggestion{Tag: c.node.Tag, Works: s.Index.TagWorkCount(c.node.ID, v)})
	}
	return out, nil
}

// matchWordStart reports whether key starts name (at 0) or one of its words
// (after a space or punctuation), and where.
func matchWordStart(name, key string) (int, bool) {
	if strings.HasPrefix(name, key) {
		return 0, true
	}
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue
		}
		if i < len(name) && strings.HasPrefix(name[i:], key) {
			return i, true
		}
	}
	return 0, false
}
