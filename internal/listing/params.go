package listing

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/text"
)

// ParseValues reads SPEC's listing parameters (all but q) from a URL query.
// Bad values are a *archive.ValidationError naming the parameter.
func ParseValues(v url.Values) (Query, error) {
	q := Query{}
	list := func(key string) []string {
		var out []string
		for _, s := range v[key] {
			s = text.ValidUTF8(s)
			// Pages send one field with commas; the API repeats the parameter.
			for _, p := range strings.Split(s, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
		}
		return out
	}
	for _, name := range list("tag") {
		q.Include = append(q.Include, TagRef{Name: name})
	}
	for _, name := range list("exclude_tag") {
		q.Exclude = append(q.Exclude, TagRef{Name: name})
	}
	for _, t := range archive.FreeTagTypes {
		for _, name := range list(string(t)) {
			q.Include = append(q.Include, TagRef{Type: t, Name: name})
		}
		for _, name := range list("exclude_" + string(t)) {
			q.Exclude = append(q.Exclude, TagRef{Type: t, Name: name})
		}
	}
	// Fixed vocabularies hold names with commas? No: none do, so commas split safely.
	q.Ratings, q.ExcludeRatings = list("rating"), list("exclude_rating")
	q.Warnings, q.ExcludeWarnings = list("warning"), list("exclude_warning")
	q.Categories, q.ExcludeCategories = list("category"), list("exclude_category")
	switch c := v.Get("complete"); c {
	case "":
	case "true", "false":
		b := c == "true"
		q.Complete = &b
	default:
		return q, archive.Invalid("complete", "must be true or false")
	}
	q.Crossover = v.Get("crossover")
	for _, f := range []struct {
		key string
		to  *bool
	}{{"exclude_read", &q.ExcludeRead}, {"exclude_kudosed", &q.ExcludeKudosed}, {"exclude_bookmarked", &q.ExcludeBookmarked}, {"marked_for_later", &q.MarkedForLater}} {
		switch s := v.Get(f.key); s {
		case "", "false", "0":
		case "true", "1":
			*f.to = true
		default:
			return q, archive.Invalid(f.key, "must be true or false")
		}
	}
	var err error
	if q.WordsFrom, err = nonNegative(v, "words_from"); err != nil {
		return q, err
	}
	if q.WordsTo, err = nonNegative(v, "words_to"); err != nil {
		return q, err
	}
	if q.UpdatedFrom, err = day(v, "updated_from"); err != nil {
		return q, err
	}
	if q.UpdatedTo, err = day(v, "updated_to"); err != nil {
		return q, err
	}
	if l := strings.TrimSpace(text.ValidUTF8(v.Get("language"))); l != "" {
		code, ok := archive.ParseLanguage(l)
		if !ok {
			return q, archive.Invalid("language", "we don't know the language %q: pick one from the list, or give its name (English, Deutsch) or a code (en, pt-BR)", l)
		}
		q.Language = code
	}
	q.Sort = v.Get("sort")
	q.Order = v.Get("order")
	if q.Page, err = positive(v, "page"); err != nil {
		return q, err
	}
	if q.PerPage, err = positive(v, "per_page"); err != nil {
		return q, err
	}
	// Validate now, but leave defaults unfilled: a sort named inside q may
	// still choose its own default order.
	check := q
	return q, check.Normalize()
}

func nonNegative(v url.Values, key string) (*int, error) {
	s := strings.TrimSpace(v.Get(key))
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil || n < 0 {
		return nil, archive.Invalid(key, "must be a whole number of 0 or more")
	}
	return &n, nil
}

func positive(v url.Values, key string) (int, error) {
	s := strings.TrimSpace(v.Get(key))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, archive.Invalid(key, "must be a whole number of 1 or more")
	}
	return n, nil
}

func day(v url.Values, key string) (time.Time, error) {
	s := strings.TrimSpace(v.Get(key))
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, archive.Invalid(key, "must be a date as YYYY-MM-DD")
	}
	return t, nil
}

// ParseBookmarkValues reads a bookmark listing's parameters: the works
// listing's filters (for the bookmarked works), the bookmarkers' own tags
// (bookmark_tag, exclude_bookmark_tag), rec, and the bookmark sorts.
func ParseBookmarkValues(v url.Values) (BookmarkQuery, error) {
	works := url.Values{}
	for k, vals := range v {
		switch k {
		case "sort", "order", "page", "per_page", "rec", "bookmark_tag", "exclude_bookmark_tag", "q":
		default:
			works[k] = vals
		}
	}
	wq, err := ParseValues(works)
	if err != nil {
		return BookmarkQuery{}, err
	}
	q := BookmarkQuery{Work: wq, Sort: v.Get("sort"), Order: v.Get("order")}
	list := func(key string) []string {
		var out []string
		for _, s := range v[key] {
			for _, p := range strings.Split(text.ValidUTF8(s), ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
		}
		return out
	}
	q.Tags, q.ExcludeTags = list("bookmark_tag"), list("exclude_bookmark_tag")
	switch s := v.Get("rec"); s {
	case "", "false", "0":
	case "true", "1":
		q.Rec = true
	default:
		return q, archive.Invalid("rec", "must be true or false")
	}
	if q.Page, err = positive(v, "page"); err != nil {
		return q, err
	}
	if q.PerPage, err = positive(v, "per_page"); err != nil {
		return q, err
	}
	check := q
	return q, check.Normalize()
}
