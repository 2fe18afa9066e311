package text

import (
	"strings"
	"unicode/utf8"
)

// SpaceCJK puts a space around every Chinese, Japanese and Korean
// character, for the full-text index and its queries: neither SQLite's
// unicode61 tokenizer nor PostgreSQL's 'simple' parser splits a run of
// ideographs (the languages write no spaces), so "魔法" would not be
// found inside "魔法少女". One character a token, and a query searched as
// a phrase of adjacent characters, finds any run of them on both engines.
// Text without CJK is returned as it is, without allocating.
func SpaceCJK(s string) string {
	first := -1
	for i, r := range s {
		if isCJK(r) {
			first = i
			break
		}
	}
	if first < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	b.WriteString(s[:first])
	prevCJK := false
	for i := first; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		cjk := isCJK(r)
		if cjk || prevCJK {
			b.WriteByte(' ')
		}
		b.WriteString(s[i : i+n])
		prevCJK = cjk
		i += n
	}
	return b.String()
}
