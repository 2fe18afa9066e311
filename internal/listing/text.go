package listing

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/text"
)

// TextSearch is a parsed q: full-text terms for the store, counter ranges
// and a sort for the index.
type TextSearch struct {
	Text   store.TextQuery
	Ranges []Range
	Sort   string
}

// HasText reports whether the store must be asked.
func (t TextSearch) HasText() bool {
	return len(t.Text.Terms) > 0 || len(t.Text.AnyOf) > 0 || len(t.Text.Not) > 0 || len(t.Text.Fields) > 0
}

// OnlyExclusions reports whether q names words to leave out and none to find.
func (t TextSearch) OnlyExclusions() bool {
	if len(t.Text.Terms) > 0 || len(t.Text.AnyOf) > 0 {
		return false
	}
	for _, f := range t.Text.Fields {
		if !f.Not {
			return false
		}
	}
	return t.HasText()
}

// Exclusions lists each excluded word and field term as a query of its own
// that finds the works it leaves out.
func (t TextSearch) Exclusions() []store.TextQuery {
	var out []store.TextQuery
	for _, w := range t.Text.Not {
		out = append(out, store.TextQuery{Terms: []string{w}})
	}
	for _, f := range t.Text.Fields {
		if f.Not {
			out = append(out, store.TextQuery{Fields: []store.FieldTerm{{Field: f.Field, Text: f.Text}}})
		}
	}
	return out
}

// fieldNames maps the names a field term may use to TextFields.
var fieldNames = map[string]string{"title": "title", "creator": "creator", "creators": "creator", "author": "creator",
	"summary": "summary", "tag": "tag", "tags": "tag"}

// ParseText reads AO3-style search syntax (see parseQuery).
func ParseText(q string) (TextSearch, error) {
	tq, ranges, sortKey, err := parseQuery(q)
	return TextSearch{Text: tq, Ranges: ranges, Sort: sortKey}, err
}

// Limits on the q parameter, so one request can't build an enormous
// full-text expression.
const (
	MaxQueryLength = 1000 // characters
	MaxQueryTerms  = 32
)

// maxQueryNumber bounds numbers in ranges (far above any real count, far
// below overflow).
const maxQueryNumber = 1_000_000_000_000

// rangeFields maps the names a query may use to the index's counters (the
// short names and AO3's).
var rangeFields = map[string]string{
	"words": "words", "word_count": "words", "wordcount": "words",
	"kudos": "kudos", "kudos_count": "kudos",
	"hits":     "hits",
	"comments": "comments", "comments_count": "comments",
	"bookmarks": "bookmarks", "bookmarks_count": "bookmarks",
}

// sortAliases maps AO3's sort names to ours.
var sortAliases = map[string]string{
	"word_count": "words", "kudos_count": "kudos", "comments_count": "comments", "bookmarks_count": "bookmarks",
	"revised_at": "updated", "created_at": "posted", "authors_to_sort_on": "creator", "title_to_sort_on": "title",
	"_score": "relevance",
}

// parseQuery reads AO3-style search syntax: words (all must match), quoted
// phrases, -word and -"phrase" to exclude, A OR B, counter bounds
// (words>1000, words<500, words:1000-5000, kudos>=10, hits:>100,
// comments<5, bookmarks:3) and sort:kudos. It returns the full-text part for
// the store, the bounds for the listing index, and a sort that overrides the
// request's own. An error is a *archive.ValidationError on field "q".
func parseQuery(q string) (tq store.TextQuery, ranges []Range, sortOverride string, err error) {
	q = text.ValidUTF8(q)
	if n := utf8.RuneCountInString(q); n > MaxQueryLength {
		return tq, nil, "", archive.Invalid("q", "is %d characters long; the limit is %d", n, MaxQueryLength)
	}
	var groups [][]string // positive terms; a group of several is OR-ed
	lastPositive, orPending, notPending := false, false, false
	terms := 0
	toks := tokenize(q)
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		// A field term: title:word, or title:"a phrase".
		if !tok.phrase {
			if name, rest, ok := strings.Cut(tok.text, ":"); ok {
				if field, ok := fieldNames[strings.ToLower(name)]; ok {
					neg := tok.neg || notPending
					notPending = false
					if rest == "" && i+1 < len(toks) && toks[i+1].phrase {
						i++
						rest = toks[i].text
					}
					term := cleanTerm(rest)
					if term == "" {
						return store.TextQuery{}, nil, "", archive.Invalid("q", "%q names no word to look for in the %s", tok.text, field)
					}
					if terms++; terms > MaxQueryTerms {
						return store.TextQuery{}, nil, "", archive.Invalid("q", "has more than %d words and phrases", MaxQueryTerms)
					}
					tq.Fields = append(tq.Fields, store.FieldTerm{Field: field, Text: term, Not: neg})
					orPending, lastPositive = false, false
					continue
				}
			}
		}
		neg := tok.neg || notPending
		notPending = false
		if !tok.phrase && !tok.neg {
			switch tok.text {
			case "OR":
				orPending = lastPositive
				continue
			case "AND":
				orPending = false
				continue
			case "NOT":
				notPending = true
				orPending, lastPositive = false, false
				continue
			}
		}
		if !tok.phrase {
			handled, r, s, err := parseOperator(tok.text)
			if err != nil {
				return store.TextQuery{}, nil, "", err
			}
			if handled {
				if neg {
					return store.TextQuery{}, nil, "", archive.Invalid("q", "%q can't be excluded with - or NOT; write the opposite bound instead", tok.text)
				}
				if s != "" {
					sortOverride = s
				} else {
					ranges = append(ranges, r)
				}
				orPending, lastPositive = false, false
				continue
			}
		}
		term := cleanTerm(tok.text)
		if term == "" {
			continue
		}
		if terms++; terms > MaxQueryTerms {
			return store.TextQuery{}, nil, "", archive.Invalid("q", "has more than %d words and phrases", MaxQueryTerms)
		}
		switch {
		case neg:
			tq.Not = append(tq.Not, term)
			orPending, lastPositive = false, false
		case orPending && len(groups) > 0:
			groups[len(groups)-1] = append(groups[len(groups)-1], term)
			orPending, lastPositive = false, true
		default:
			groups = append(groups, []string{term})
			orPending, lastPositive = false, true
		}
	}
	for _, g := range groups {
		if len(g) == 1 {
			tq.Terms = append(tq.Terms, g[0])
		} else {
			tq.AnyOf = append(tq.AnyOf, g)
		}
	}
	return tq, ranges, sortOverride, nil
}

// queryToken is one word or quoted phrase, possibly negated with "-".
type queryToken struct {
	text   string
	phrase bool
	neg    bool
}

// tokenize splits q into words and quoted phrases. An unclosed quote runs
// to the end.
func tokenize(q string) []queryToken {
	var out []queryToken
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		neg := false
		for i < len(q) && q[i] == '-' {
			neg = true
			i++
		}
		if i >= len(q) {
			break
		}
		if r, _ := utf8.DecodeRuneInString(q[i:]); unicode.IsSpace(r) {
			continue // a lone "-"
		}
		if q[i] == '"' {
			end := strings.IndexByte(q[i+1:], '"')
			var phrase string
			if end < 0 {
				phrase, i = q[i+1:], len(q)
			} else {
				phrase, i = q[i+1:i+1+end], i+1+end+1
			}
			out = append(out, queryToken{text: phrase, phrase: true, neg: neg})
			continue
		}
		start := i
		for i < len(q) {
			r, size := utf8.DecodeRuneInString(q[i:])
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			i += size
		}
		out = append(out, queryToken{text: q[start:i], neg: neg})
	}
	return out
}

// cleanTerm collapses whitespace and drops terms with nothing to search for
// (no letter or digit: the full-text tokenizer would see nothing).
func cleanTerm(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return s
		}
	}
	return ""
}

// parseOperator recognises field>N, field<N, field>=N, field<=N, field:N,
// field:N-M, field:>N (and so on) and sort:KEY. handled is false for an
// ordinary word.
func parseOperator(word string) (handled bool, r Range, sortKey string, err error) {
	i := strings.IndexAny(word, ":<>=")
	if i <= 0 {
		return false, r, "", nil
	}
	name := strings.ToLower(word[:i])
	rest := word[i:]
	if name == "sort" || name == "sort_column" {
		if !strings.HasPrefix(rest, ":") {
			return false, r, "", nil
		}
		key := strings.ToLower(strings.TrimSpace(rest[1:]))
		if a, ok := sortAliases[key]; ok {
			key = a
		}
		for _, s := range Sorts {
			if s == key {
				return true, r, key, nil
			}
		}
		return true, r, "", archive.Invalid("q", "%q is not a sort; use one of %s", rest[1:], strings.Join(Sorts, ", "))
	}
	field, ok := rangeFields[name]
	if !ok {
		return false, r, "", nil
	}
	r = Range{Field: field, Min: -1, Max: -1}
	bad := func() (bool, Range, string, error) {
		return true, Range{}, "", archive.Invalid("q", "%q is not a bound; write %s>1000, %s<500 or %s:1000-5000", word, name, name, name)
	}
	rest = strings.TrimPrefix(rest, ":")
	var op string
	for _, o := range []string{">=", "<=", ">", "<", "="} {
		if strings.HasPrefix(rest, o) {
			op, rest = o, rest[len(o):]
			break
		}
	}
	if op == "" {
		if lo, hi, found := strings.Cut(rest, "-"); found {
			a, ok1 := parseCount(lo)
			b, ok2 := parseCount(hi)
			if !ok1 || !ok2 {
				return bad()
			}
			if a > b {
				return true, r, "", archive.Invalid("q", "%q: the range's start is above its end", word)
			}
			r.Min, r.Max = a, b
			return true, r, "", nil
		}
		op = "="
	}
	n, ok := parseCount(rest)
	if !ok {
		return bad()
	}
	switch op {
	case ">":
		r.Min = n + 1
	case ">=":
		r.Min = n
	case "<":
		if n == 0 {
			// Nothing is below zero: a range that matches no work.
			r.Min, r.Max = 1, 0
		} else {
			r.Max = n - 1
		}
	case "<=":
		r.Max = n
	case "=":
		r.Min, r.Max = n, n
	}
	return true, r, "", nil
}

// parseCount reads a non-negative count, allowing "1,000" and "1_000".
func parseCount(s string) (int64, bool) {
	s = strings.NewReplacer(",", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" || len(s) > 13 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > maxQueryNumber || s[0] == '+' {
		return 0, false
	}
	return n, true
}
