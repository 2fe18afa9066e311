package listing

import (
	"strconv"
	"strings"
	"unicode"

	"quire/internal/archive"
	"quire/internal/store"
)

// TextSearch is a parsed q: full-text terms for the store, counter ranges
// and a sort for the index (AO3's syntax: words>1000, kudos:10-50, sort:kudos).
type TextSearch struct {
	Text   store.TextQuery
	Ranges []Range
	Sort   string
}

// HasText reports whether the store must be asked.
func (t TextSearch) HasText() bool {
	return len(t.Text.Terms) > 0 || len(t.Text.AnyOf) > 0 || len(t.Text.Not) > 0
}

// ParseText parses q: quoted phrases, -word, A OR B, field comparisons.
func ParseText(q string) (TextSearch, error) {
	var ts TextSearch
	toks := tokenize(q)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.quoted {
			if r, ok, err := parseRange(t.text); err != nil {
				return ts, err
			} else if ok {
				ts.Ranges = append(ts.Ranges, r)
				continue
			}
			if s, ok := strings.CutPrefix(strings.ToLower(t.text), "sort:"); ok {
				if !validSort(s) {
					return ts, archive.Invalid("q", "%q is not a sort; use one of %s", s, strings.Join(Sorts, ", "))
				}
				ts.Sort = s
				continue
			}
		}
		// A OR B (OR C …) groups alternatives.
		if i+2 < len(toks) && !toks[i+1].quoted && toks[i+1].text == "OR" {
			group := []string{t.text}
			for i+2 < len(toks) && !toks[i+1].quoted && toks[i+1].text == "OR" {
				group = append(group, toks[i+2].text)
				i += 2
			}
			ts.Text.AnyOf = append(ts.Text.AnyOf, cleanTerms(group)...)
			continue
		}
		if !t.quoted && strings.HasPrefix(t.text, "-") && len(t.text) > 1 {
			ts.Text.Not = append(ts.Text.Not, words(t.text[1:])...)
			continue
		}
		if t.neg {
			ts.Text.Not = append(ts.Text.Not, t.text)
			continue
		}
		if t.quoted {
			ts.Text.Terms = append(ts.Text.Terms, t.text)
		} else {
			ts.Text.Terms = append(ts.Text.Terms, words(t.text)...)
		}
	}
	if len(ts.Text.Terms) == 0 && len(ts.Text.AnyOf) == 0 && len(ts.Text.Not) > 0 {
		return ts, archive.Invalid("q", "a search needs at least one word to find, not only words to leave out")
	}
	return ts, nil
}

func cleanTerms(group []string) [][]string {
	var alts []string
	for _, g := range group {
		alts = append(alts, words(g)...)
	}
	if len(alts) == 0 {
		return nil
	}
	return [][]string{alts}
}

// words keeps the letters and digits of a bare token, split where other
// characters stand (FTS tokenizes the same way).
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '\'' })
}

type token struct {
	text   string
	quoted bool
	neg    bool
}

func tokenize(q string) []token {
	var out []token
	rs := []rune(q)
	for i := 0; i < len(rs); {
		switch {
		case unicode.IsSpace(rs[i]):
			i++
		case rs[i] == '"' || (rs[i] == '-' && i+1 < len(rs) && rs[i+1] == '"'):
			neg := rs[i] == '-'
			if neg {
				i++
			}
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			phrase := strings.Join(strings.Fields(string(rs[i+1:min(j, len(rs))])), " ")
			if phrase != "" {
				out = append(out, token{text: phrase, quoted: true, neg: neg})
			}
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			out = append(out, token{text: string(rs[i:j])})
			i = j
		}
	}
	return out
}

var rangeFields = []string{"words", "kudos", "hits", "comments", "bookmarks"}

// parseRange reads field>N, field<N, field>=N, field<=N, field:N, field:N-M.
func parseRange(s string) (Range, bool, error) {
	l := strings.ToLower(s)
	for _, f := range rangeFields {
		rest, ok := strings.CutPrefix(l, f)
		if !ok || rest == "" || !strings.ContainsRune("<>:=", rune(rest[0])) {
			continue
		}
		r := Range{Field: f, Min: -1, Max: -1}
		bad := archive.Invalid("q", "%q: give a whole number, as in %s>1000 or %s:1000-5000", s, f, f)
		num := func(x string) (int64, bool) {
			n, err := strconv.ParseInt(strings.ReplaceAll(x, ",", ""), 10, 64)
			return n, err == nil && n >= 0
		}
		var n int64
		switch {
		case strings.HasPrefix(rest, ">="):
			if n, ok = num(rest[2:]); !ok {
				return r, false, bad
			}
			r.Min = n
		case strings.HasPrefix(rest, "<="):
			if n, ok = num(rest[2:]); !ok {
				return r, false, bad
			}
			r.Max = n
		case rest[0] == '>':
			if n, ok = num(rest[1:]); !ok {
				return r, false, bad
			}
			r.Min = n + 1
		case rest[0] == '<':
			if n, ok = num(rest[1:]); !ok || n == 0 {
				return r, false, bad
			}
			r.Max = n - 1
		default:
			v := rest[1:]
			if a, b, isRange := strings.Cut(v, "-"); isRange {
				lo, ok1 := num(a)
				hi, ok2 := num(b)
				if !ok1 || !ok2 || lo > hi {
					return r, false, bad
				}
				r.Min, r.Max = lo, hi
			} else {
				if n, ok = num(v); !ok {
					return r, false, bad
				}
				r.Min, r.Max = n, n
			}
		}
		return r, true, nil
	}
	return Range{}, false, nil
}

func validSort(s string) bool {
	for _, x := range Sorts {
		if x == s {
			return true
		}
	}
	return false
}
