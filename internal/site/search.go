package site

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/listing"
)

// maxSearchQuery bounds the q of people and tag searches.
const maxSearchQuery = 100

// PersonHit is one account found by name, with the works the reader may see.
type PersonHit struct {
	Name  string
	Works int
}

// PeoplePage is one page of /people/search.
type PeoplePage struct {
	People               []PersonHit
	Total, Page, PerPage int
}

func searchQuery(q string) (string, error) {
	q = strings.TrimSpace(q)
	if n := utf8.RuneCountInString(q); n > maxSearchQuery {
		return "", archive.Invalid("q", "is %d characters long; the limit is %d", n, maxSearchQuery)
	}
	return q, nil
}

// SearchPeople finds accounts whose name holds q, A–Z, each with how many
// of their works u may see (from the index).
func (s *Site) SearchPeople(ctx context.Context, u *archive.User, q string, page int) (*PeoplePage, error) {
	q, err := searchQuery(q)
	if err != nil {
		return nil, err
	}
	page, perPage, err := pageBounds(page, 50)
	if err != nil {
		return nil, err
	}
	us, total, err := s.store.SearchUsers(ctx, q, false, (page-1)*perPage, perPage)
	if err != nil {
		return nil, err
	}
	v := s.viewerOrGuest(ctx, u)
	out := &PeoplePage{Total: total, Page: page, PerPage: perPage, People: []PersonHit{}}
	for _, a := range us {
		res, err := s.Index.Search(listing.Query{CreatorUserID: a.ID, SkipFacets: true, PerPage: 1}, v)
		if err != nil {
			return nil, err
		}
		out.People = append(out.People, PersonHit{Name: a.Name, Works: res.Total})
	}
	return out, nil
}

// TagSearch is what /tags/search asks for.
type TagSearch struct {
	Q         string
	Type      archive.TagType // "" for any
	Canonical string          // "true", "false" or "" for both
	Fandom    string          // only tags whose parent fandoms (or which) name this fandom
	Page      int
}

// TagHit is one tag found, with the works u may see under it.
type TagHit struct {
	archive.Tag
	Works int
}

// TagsPage is one page of /tags/search.
type TagsPage struct {
	Tags                 []TagHit
	Total, Page, PerPage int
}

// SearchTags finds the tags whose name holds q, as u may know them: canonical
// ones, and others only when a work u may see carries them (so the search
// reveals nothing of hidden or draft works). A–Z, 50 a page.
func (s *Site) SearchTags(ctx context.Context, u *archive.User, in TagSearch) (*TagsPage, error) {
	q, err := searchQuery(in.Q)
	if err != nil {
		return nil, err
	}
	switch in.Canonical {
	case "", "true", "false":
	default:
		return nil, archive.Invalid("canonical", "must be true or false")
	}
	page, perPage, err := pageBounds(in.Page, 50)
	if err != nil {
		return nil, err
	}
	g := s.Index.Graph()
	var fandom int64
	if f := strings.TrimSpace(in.Fandom); f != "" {
		n, err := s.findTag(g, u, archive.TypeFandom, f)
		if err != nil {
			return nil, archive.Invalid("fandom", "there is no fandom named %q", f)
		}
		fandom = g.FilterTag(n.ID)
	}
	key := archive.TagKey(q)
	var ids []int64
	keyOf := map[int64]string{}
	// The graph keeps each name's key: matching and sorting them costs no
	// case folding.
	g.EachName(func(k string, named []int64) {
		if key != "" && !strings.Contains(k, key) {
			return
		}
		for _, id := range named {
			n := g.Node(id)
			if in.Type != "" && n.Type != in.Type || in.Canonical == "true" && !n.Canonical || in.Canonical == "false" && n.Canonical {
				continue
			}
			if fandom != 0 && n.ID != fandom && !slices.ContainsFunc(n.Parents, func(p int64) bool { return g.FilterTag(p) == fandom }) {
				continue
			}
			ids = append(ids, n.ID)
			keyOf[n.ID] = k
		}
	})
	// Only the tags u may know exist are found and counted in the total;
	// only the page shown has its works counted.
	v := s.viewerOrGuest(ctx, u)
	ids = s.Index.VisibleTags(ids, v)
	slices.SortFunc(ids, func(a, b int64) int {
		if c := strings.Compare(keyOf[a], keyOf[b]); c != 0 {
			return c
		}
		na, nb := g.Node(a), g.Node(b)
		if c := strings.Compare(na.Name, nb.Name); c != 0 {
			return c
		}
		return strings.Compare(string(na.Type), string(nb.Type))
	})
	out := &TagsPage{Total: len(ids), Page: page, PerPage: perPage, Tags: []TagHit{}}
	if from := (page - 1) * perPage; from < len(ids) {
		shown := ids[from:min(from+perPage, len(ids))]
		counts := s.Index.TagWorkCounts(shown, v)
		for _, id := range shown {
			out.Tags = append(out.Tags, TagHit{Tag: g.Node(id).Tag, Works: counts[id]})
		}
	}
	return out, nil
}
