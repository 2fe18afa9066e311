package site

// Listings: every list of works a reader sees is answered by the index
// and loaded through the work cache.

import (
	"context"
	"slices"
	"strings"

	"quire/internal/archive"
	"quire/internal/listing"
)

// Listing is one page of works with facets.
type Listing struct {
	listing.Result
	Works []*archive.Work
}

// List runs a listing query for u and loads the page's works.
func (s *Site) List(ctx context.Context, u *archive.User, q listing.Query) (*Listing, error) {
	v, err := s.viewer(ctx, u)
	if err != nil {
		return nil, err
	}
	if err := s.readerSets(ctx, u, &q); err != nil {
		return nil, err
	}
	res, err := s.Index.Search(q, v)
	if err != nil {
		return nil, err
	}
	ws, err := s.worksByIDs(ctx, res.IDs)
	if err != nil {
		return nil, err
	}
	return &Listing{Result: res, Works: s.withReaderCounts(ctx, u, ws)}, nil
}

// Search runs a listing with an optional q (full text and AO3's field
// syntax): the store finds the text, the index does everything else.
func (s *Site) Search(ctx context.Context, u *archive.User, q listing.Query, text string) (*Listing, error) {
	if err := s.applyText(ctx, &q, text); err != nil {
		return nil, err
	}
	return s.List(ctx, u, q)
}

// applyText narrows q by a q string: its counter bounds and sort go into
// the query, its words and field terms to the store's full-text search.
func (s *Site) applyText(ctx context.Context, q *listing.Query, text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	ts, err := listing.ParseText(text)
	if err != nil {
		return err
	}
	q.Ranges = append(q.Ranges, ts.Ranges...)
	if ts.Sort != "" {
		q.Sort = ts.Sort
	}
	switch {
	case ts.OnlyExclusions():
		// Every work but those matching any excluded word or field term.
		var ids []int64
		for _, ex := range ts.Exclusions() {
			found, err := s.store.SearchText(ctx, ex)
			if err != nil {
				return err
			}
			ids = append(ids, found...)
		}
		q.TextIDs = listing.AllBut(ids)
	case ts.HasText():
		ids, err := s.store.SearchText(ctx, ts.Text)
		if err != nil {
			return err
		}
		q.TextIDs = listing.IDSet(ids)
	}
	return nil
}

// LanguageChoice is one language of the sidebar's select.
type LanguageChoice struct {
	Code, Name string
}

// Languages lists the languages of the works u may see, by name.
func (s *Site) Languages(u *archive.User) []LanguageChoice {
	var out []LanguageChoice
	for _, c := range s.Index.Languages(ViewerOf(u)) {
		out = append(out, LanguageChoice{Code: c, Name: archive.LanguageName(c)})
	}
	slices.SortFunc(out, func(a, b LanguageChoice) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out
}
