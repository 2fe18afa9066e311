package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/store"
	"quire/internal/text"
)

// maxPage keeps (page-1)*per_page far from overflow.
const maxPage = 10_000_000

// listingJSON is the listing response.
type listingJSON struct {
	Total   int                        `json:"total"`
	Page    int                        `json:"page"`
	PerPage int                        `json:"per_page"`
	Works   []*workJSON                `json:"works"`
	Facets  map[string][]listing.Facet `json:"facets"`
}

// GET /api/v1/works
func (a *server) listWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	q, err := a.listingQuery(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	l, err := a.list(r.Context(), u, q)
	if err != nil {
		return err
	}
	out := listingJSON{Total: l.Total, Page: l.Page, PerPage: l.PerPage, Works: make([]*workJSON, 0, len(l.Works)), Facets: map[string][]listing.Facet{}}
	for _, work := range l.Works {
		out.Works = append(out.Works, a.work(u, work))
	}
	for _, t := range listing.FacetTypes {
		f := l.Facets[t]
		if f == nil {
			f = []listing.Facet{}
		}
		out.Facets[string(t)] = f
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// list runs the query. A rating, warning or category from the fixed
// vocabulary that no visible work carries yet is not an unknown tag to a
// reader: excluding it excludes nothing, and requiring it finds nothing.
func (a *server) list(ctx context.Context, u *archive.User, q listing.Query) (*site.Listing, error) {
	nothing := false
	// Each retry drops one fixed name, so this many tries always suffice.
	tries := 1 + len(q.Ratings) + len(q.ExcludeRatings) + len(q.Warnings) + len(q.ExcludeWarnings) + len(q.Categories) + len(q.ExcludeCategories)
	for range tries {
		l, err := a.site.List(ctx, u, q)
		var ut *listing.UnknownTagError
		if !errors.As(err, &ut) {
			if err == nil && nothing {
				l.Total, l.IDs, l.Works = 0, nil, nil
				for t := range l.Facets {
					l.Facets[t] = []listing.Facet{}
				}
			}
			return l, err
		}
		found := false
		for _, f := range []struct {
			t     archive.TagType
			names *[]string
			mode  string // "any", "all" or "exclude"
		}{
			{archive.TypeRating, &q.Ratings, "any"}, {archive.TypeRating, &q.ExcludeRatings, "exclude"},
			{archive.TypeWarning, &q.Warnings, "all"}, {archive.TypeWarning, &q.ExcludeWarnings, "exclude"},
			{archive.TypeCategory, &q.Categories, "all"}, {archive.TypeCategory, &q.ExcludeCategories, "exclude"},
		} {
			i := slices.Index(*f.names, ut.Name)
			if i < 0 || !slices.Contains(archive.FixedVocabulary(f.t), ut.Name) {
				continue
			}
			*f.names = slices.Delete(slices.Clone(*f.names), i, i+1)
			switch {
			case f.mode == "all":
				nothing = true
			case f.mode == "any" && len(*f.names) == 0:
				nothing = true
			}
			found = true
			break
		}
		if !found {
			return nil, err
		}
	}
	return nil, fmt.Errorf("listing: too many retries")
}

// listingQuery reads SPEC's listing parameters; a bad value is a 422.
func (a *server) listingQuery(ctx context.Context, v url.Values) (listing.Query, error) {
	q := listing.Query{}
	values := func(key string) []string {
		var out []string
		for _, s := range v[key] {
			if s = strings.TrimSpace(text.ValidUTF8(s)); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	one := func(key string) string {
		if vs := values(key); len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	for _, n := range values("tag") {
		q.Include = append(q.Include, listing.TagRef{Name: n})
	}
	for _, n := range values("exclude_tag") {
		q.Exclude = append(q.Exclude, listing.TagRef{Name: n})
	}
	for _, t := range archive.FreeTagTypes {
		for _, n := range values(string(t)) {
			q.Include = append(q.Include, listing.TagRef{Type: t, Name: n})
		}
		for _, n := range values("exclude_" + string(t)) {
			q.Exclude = append(q.Exclude, listing.TagRef{Type: t, Name: n})
		}
	}
	fixed := func(t archive.TagType, key string) []string {
		vs := values(key)
		for i, n := range vs {
			// The fixed vocabularies are matched ignoring case, as works are tagged.
			for _, name := range archive.FixedVocabulary(t) {
				if strings.EqualFold(name, n) {
					vs[i] = name
				}
			}
		}
		return vs
	}
	q.Ratings, q.ExcludeRatings = fixed(archive.TypeRating, "rating"), fixed(archive.TypeRating, "exclude_rating")
	q.Warnings, q.ExcludeWarnings = fixed(archive.TypeWarning, "warning"), fixed(archive.TypeWarning, "exclude_warning")
	q.Categories, q.ExcludeCategories = fixed(archive.TypeCategory, "category"), fixed(archive.TypeCategory, "exclude_category")

	switch c := one("complete"); c {
	case "":
	case "true", "false":
		b := c == "true"
		q.Complete = &b
	default:
		return q, archive.Invalid("complete", "must be true or false, not %q", c)
	}
	q.Crossover = one("crossover")
	var err error
	if q.WordsFrom, err = count(one("words_from"), "words_from"); err != nil {
		return q, err
	}
	if q.WordsTo, err = count(one("words_to"), "words_to"); err != nil {
		return q, err
	}
	if q.UpdatedFrom, err = date(one("updated_from"), "updated_from"); err != nil {
		return q, err
	}
	if q.UpdatedTo, err = date(one("updated_to"), "updated_to"); err != nil {
		return q, err
	}
	q.Language = one("language")
	q.Sort = one("sort")
	q.Order = one("order")
	if p := one("page"); p != "" {
		if q.Page, err = strconv.Atoi(p); err != nil || q.Page < 1 || q.Page > maxPage {
			return q, archive.Invalid("page", "must be a whole number from 1 to %d", maxPage)
		}
	}
	if p := one("per_page"); p != "" {
		if q.PerPage, err = strconv.Atoi(p); err != nil || q.PerPage < 1 || q.PerPage > 100 {
			return q, archive.Invalid("per_page", "must be a whole number from 1 to 100")
		}
	}
	if s := one("q"); s != "" {
		if err := a.textFilter(ctx, s, &q); err != nil {
			return q, err
		}
	}
	return q, q.Normalize()
}

// textFilter applies the q parameter: full-text ids, counter bounds, sort.
func (a *server) textFilter(ctx context.Context, s string, q *listing.Query) error {
	tq, ranges, sortKey, err := ParseQuery(s)
	if err != nil {
		return err
	}
	q.Ranges = append(q.Ranges, ranges...)
	if sortKey != "" {
		// Order is still the request's own here ("" takes the sort's default).
		q.Sort = sortKey
	}
	switch {
	case len(tq.Terms) > 0 || len(tq.AnyOf) > 0:
		ids, err := a.site.Store.SearchText(ctx, tq)
		if err != nil {
			return err
		}
		q.TextIDs = bitmapOf(ids)
	case len(tq.Not) > 0:
		// Only exclusions: every work but those that match any of them.
		ids, err := a.site.Store.SearchText(ctx, store.TextQuery{AnyOf: [][]string{tq.Not}})
		if err != nil {
			return err
		}
		all := roaring.New()
		all.AddRange(0, math.MaxUint32+1)
		all.AndNot(bitmapOf(ids))
		q.TextIDs = all
	}
	return nil
}

func bitmapOf(ids []int64) *roaring.Bitmap {
	b := roaring.New()
	for _, id := range ids {
		if id > 0 && id <= math.MaxUint32 {
			b.Add(uint32(id))
		}
	}
	return b
}

// count reads an optional non-negative whole number (nil when absent).
func count(s, field string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return nil, archive.Invalid(field, "must be a whole number, 0 or more, not %q", s)
	}
	return &n, nil
}

// date reads an optional YYYY-MM-DD.
func date(s, field string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, archive.Invalid(field, "must be a date as YYYY-MM-DD, not %q", s)
	}
	return t, nil
}
