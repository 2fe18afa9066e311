package listing

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

// TestParseTextSyntax checks the q syntax SPEC and AO3 users rely on.
// (textquery_test.go holds the exhaustive table.)
func TestParseTextSyntax(t *testing.T) {
	ts, err := ParseText(`"coffee shop" au -angst -"major death" harry OR draco OR "the boy" words>1000 kudos:10-50 sort:kudos`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"coffee shop", "au"}; !reflect.DeepEqual(ts.Text.Terms, want) {
		t.Errorf("Terms = %q, want %q", ts.Text.Terms, want)
	}
	if want := []string{"angst", "major death"}; !reflect.DeepEqual(ts.Text.Not, want) {
		t.Errorf("Not = %q, want %q", ts.Text.Not, want)
	}
	if want := [][]string{{"harry", "draco", "the boy"}}; !reflect.DeepEqual(ts.Text.AnyOf, want) {
		t.Errorf("AnyOf = %q, want %q", ts.Text.AnyOf, want)
	}
	if want := []Range{{Field: "words", Min: 1001, Max: -1}, {Field: "kudos", Min: 10, Max: 50}}; !reflect.DeepEqual(ts.Ranges, want) {
		t.Errorf("Ranges = %v, want %v", ts.Ranges, want)
	}
	if ts.Sort != "kudos" || !ts.HasText() || ts.OnlyExclusions() {
		t.Errorf("Sort %q HasText %v OnlyExclusions %v", ts.Sort, ts.HasText(), ts.OnlyExclusions())
	}

	ranges := []struct {
		q    string
		want Range
	}{
		{"words>1000", Range{"words", 1001, -1}},
		{"words<1000", Range{"words", -1, 999}},
		{"words>=1000", Range{"words", 1000, -1}},
		{"words<=1000", Range{"words", -1, 1000}},
		{"words:1,000-5,000", Range{"words", 1000, 5000}},
		{"kudos:10-50", Range{"kudos", 10, 50}},
		{"kudos:10", Range{"kudos", 10, 10}},
		{"HITS>5", Range{"hits", 6, -1}},
		{"comments<=3", Range{"comments", -1, 3}},
		{"bookmarks>=2", Range{"bookmarks", 2, -1}},
	}
	for _, tt := range ranges {
		ts, err := ParseText(tt.q)
		if err != nil || len(ts.Ranges) != 1 || ts.Ranges[0] != tt.want || ts.HasText() {
			t.Errorf("ParseText(%q) = ranges %v text %+v err %v, want %v", tt.q, ts.Ranges, ts.Text, err, tt.want)
		}
	}
	for _, s := range []string{"updated", "posted", "title", "creator", "words", "hits", "kudos", "comments", "bookmarks", "relevance"} {
		ts, err := ParseText("sort:" + s)
		if err != nil || ts.Sort != s {
			t.Errorf("sort:%s gave %q, %v", s, ts.Sort, err)
		}
	}

	// Only words to leave out: allowed, and flagged so the caller can search
	// "everything but" (site.Search does).
	ts, err = ParseText("-angst -sad")
	if err != nil || !ts.OnlyExclusions() || !reflect.DeepEqual(ts.Text.Not, []string{"angst", "sad"}) {
		t.Errorf("-angst -sad: %+v, OnlyExclusions %v, %v", ts.Text, ts.OnlyExclusions(), err)
	}
}

func TestParseTextErrors(t *testing.T) {
	for _, q := range []string{
		"words>lots",
		"words>",
		"words:-5",
		"words:50-10",
		"kudos:10-",
		"kudos:1.5",
		"hits>99999999999999999999",
		"bookmarks>=-1",
		"sort:nonsense",
		"sort:",
		strings.Repeat("word ", 300),
	} {
		_, err := ParseText(q)
		var ve *archive.ValidationError
		if !errors.As(err, &ve) || ve.Field != "q" {
			t.Errorf("ParseText(%.40q) = %v, want a ValidationError on q", q, err)
		}
	}
}

func FuzzParseTextNoPanic(f *testing.F) {
	for _, s := range []string{"", `"`, `-"`, "-", "--", "OR", "a OR", "OR OR", "words:", "words:-", "kudos:1-2-3",
		"sort:", "hits>=", `"a" OR -"b" OR c`, "\x00\xff", "words>1e9", "NOT", "ÅNGST -ångst"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		ts, err := ParseText(q)
		if err != nil {
			var ve *archive.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("ParseText(%q): error %T %v, want a ValidationError", q, err, err)
			}
			return
		}
		for _, r := range ts.Ranges {
			if r.Min < -1 || r.Max < -1 {
				t.Fatalf("ParseText(%q): bad range %+v", q, r)
			}
		}
		if ts.Sort != "" && !validSortForTest(ts.Sort) {
			t.Fatalf("ParseText(%q): sort %q", q, ts.Sort)
		}
	})
}

func validSortForTest(s string) bool {
	for _, x := range Sorts {
		if x == s {
			return true
		}
	}
	return false
}

func TestFieldTerms(t *testing.T) {
	for _, c := range []struct {
		q    string
		want []store.FieldTerm
		rest []string
	}{
		{`title:harbor`, []store.FieldTerm{{Field: "title", Text: "harbor"}}, nil},
		{`Title:"quiet harbor" dusk`, []store.FieldTerm{{Field: "title", Text: "quiet harbor"}}, []string{"dusk"}},
		{`-tag:angst creator:ann`, []store.FieldTerm{{Field: "tag", Text: "angst", Not: true}, {Field: "creator", Text: "ann"}}, nil},
		{`NOT summary:"dark times"`, []store.FieldTerm{{Field: "summary", Text: "dark times", Not: true}}, nil},
		{`author:bo tags:"slow burn"`, []store.FieldTerm{{Field: "creator", Text: "bo"}, {Field: "tag", Text: "slow burn"}}, nil},
		{`colour:red`, nil, []string{"colour:red"}},
	} {
		ts, err := ParseText(c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		if !slices.Equal(ts.Text.Fields, c.want) || !slices.Equal(ts.Text.Terms, c.rest) {
			t.Errorf("%s: fields %+v terms %q", c.q, ts.Text.Fields, ts.Text.Terms)
		}
	}
	for _, bad := range []string{`title:`, `tag:"  "`, `summary:!!!`} {
		if _, err := ParseText(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if ts, _ := ParseText(`-title:dragon`); !ts.OnlyExclusions() || len(ts.Exclusions()) != 1 {
		t.Errorf("a lone excluded field term is not an exclusion-only query")
	}
}
