package listing

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

func TestParseText(t *testing.T) {
	rng := func(f string, lo, hi int64) Range { return Range{Field: f, Min: lo, Max: hi} }
	tests := []struct {
		q      string
		text   store.TextQuery
		ranges []Range
		sort   string
		err    bool
	}{
		{q: "", text: store.TextQuery{}},
		{q: "   ", text: store.TextQuery{}},
		{q: "coffee shop", text: store.TextQuery{Terms: []string{"coffee", "shop"}}},
		{q: `"coffee shop" au`, text: store.TextQuery{Terms: []string{"coffee shop", "au"}}},
		{q: `"  coffee   shop  "`, text: store.TextQuery{Terms: []string{"coffee shop"}}},
		{q: `"unclosed phrase`, text: store.TextQuery{Terms: []string{"unclosed phrase"}}},
		{q: `""`, text: store.TextQuery{}},
		{q: "fluff -angst", text: store.TextQuery{Terms: []string{"fluff"}, Not: []string{"angst"}}},
		{q: `fluff -"major character death"`, text: store.TextQuery{Terms: []string{"fluff"}, Not: []string{"major character death"}}},
		{q: "fluff NOT angst", text: store.TextQuery{Terms: []string{"fluff"}, Not: []string{"angst"}}},
		{q: "-angst", text: store.TextQuery{Not: []string{"angst"}}},
		{q: "- angst", text: store.TextQuery{Terms: []string{"angst"}}},
		{q: "harry OR draco", text: store.TextQuery{AnyOf: [][]string{{"harry", "draco"}}}},
		{q: `a OR "b c" OR d e`, text: store.TextQuery{Terms: []string{"e"}, AnyOf: [][]string{{"a", "b c", "d"}}}},
		{q: "a or b", text: store.TextQuery{Terms: []string{"a", "or", "b"}}},
		{q: "OR a OR", text: store.TextQuery{Terms: []string{"a"}}},
		{q: "-a OR b", text: store.TextQuery{Terms: []string{"b"}, Not: []string{"a"}}},
		{q: "a AND b", text: store.TextQuery{Terms: []string{"a", "b"}}},
		{q: "a !!! b", text: store.TextQuery{Terms: []string{"a", "b"}}},
		{q: "日本語 テスト", text: store.TextQuery{Terms: []string{"日本語", "テスト"}}},
		{q: "words>1000", ranges: []Range{rng("words", 1001, -1)}},
		{q: "words<500", ranges: []Range{rng("words", -1, 499)}},
		{q: "words<0", ranges: []Range{rng("words", 1, 0)}},
		{q: "words>=10 words<=20", ranges: []Range{rng("words", 10, -1), rng("words", -1, 20)}},
		{q: "words:1000-5000", ranges: []Range{rng("words", 1000, 5000)}},
		{q: "words:1,000-5,000", ranges: []Range{rng("words", 1000, 5000)}},
		{q: "Words:>1000", ranges: []Range{rng("words", 1001, -1)}},
		{q: "word_count:7", ranges: []Range{rng("words", 7, 7)}},
		{q: "kudos>100 hits>5 comments>1 bookmarks>2", ranges: []Range{rng("kudos", 101, -1), rng("hits", 6, -1), rng("comments", 2, -1), rng("bookmarks", 3, -1)}},
		{q: "fluff kudos>100 sort:kudos", text: store.TextQuery{Terms: []string{"fluff"}}, ranges: []Range{rng("kudos", 101, -1)}, sort: "kudos"},
		{q: "sort:KUDOS_COUNT", sort: "kudos"},
		{q: "sort:title", sort: "title"},
		{q: `"words>1000"`, text: store.TextQuery{Terms: []string{"words>1000"}}},
		{q: "foo:bar", text: store.TextQuery{Terms: []string{"foo:bar"}}},
		{q: "sort:nonsense", err: true},
		{q: "words>lots", err: true},
		{q: "words:5000-1000", err: true},
		{q: "words>99999999999999999999", err: true},
		{q: "words>-5", err: true},
		{q: "-words>1000", err: true},
		{q: strings.Repeat("a ", 33), err: true},
		{q: strings.Repeat("x", MaxQueryLength+1), err: true},
	}
	for _, tt := range tests {
		text, ranges, sort, err := parseQueryForTest(tt.q)
		if tt.err {
			var ve *archive.ValidationError
			if !errors.As(err, &ve) || ve.Field != "q" {
				t.Errorf("parseQueryForTest(%q) error = %v, want a validation error on q", tt.q, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseQueryForTest(%q): %v", tt.q, err)
			continue
		}
		if !reflect.DeepEqual(text, tt.text) {
			t.Errorf("parseQueryForTest(%q) text = %#v, want %#v", tt.q, text, tt.text)
		}
		if !reflect.DeepEqual(ranges, tt.ranges) {
			t.Errorf("parseQueryForTest(%q) ranges = %v, want %v", tt.q, ranges, tt.ranges)
		}
		if sort != tt.sort {
			t.Errorf("parseQueryForTest(%q) sort = %q, want %q", tt.q, sort, tt.sort)
		}
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{"", `"a b" -c OR d`, "words:1-2 kudos>3 sort:hits", "-\"", "a OR OR b", "\xff\x00\"", "NOT NOT x", "words<0", "hits:>=9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		text, ranges, sort, err := parseQueryForTest(q)
		if err != nil {
			var ve *archive.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("parseQueryForTest(%q) error %T, want *archive.ValidationError", q, err)
			}
			return
		}
		if n := len(text.Terms) + len(text.Not); n > MaxQueryTerms {
			t.Fatalf("parseQueryForTest(%q) returned %d terms", q, n)
		}
		for _, term := range append(append([]string{}, text.Terms...), text.Not...) {
			if cleanTerm(term) != term || term == "" {
				t.Fatalf("parseQueryForTest(%q) returned unclean term %q", q, term)
			}
		}
		for _, g := range text.AnyOf {
			if len(g) < 2 {
				t.Fatalf("parseQueryForTest(%q) returned an OR group of %d", q, len(g))
			}
		}
		for _, r := range ranges {
			if r.Field == "" || r.Min < -1 || r.Max < -1 {
				t.Fatalf("parseQueryForTest(%q) returned bad range %+v", q, r)
			}
		}
		if sort != "" && !contains(Sorts, sort) {
			t.Fatalf("parseQueryForTest(%q) returned sort %q", q, sort)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseQueryForTest(q string) (store.TextQuery, []Range, string, error) {
	ts, err := ParseText(q)
	return ts.Text, ts.Ranges, ts.Sort, err
}
