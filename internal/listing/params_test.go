package listing

import (
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"

	"quire/internal/archive"
)

func TestParseValuesGood(t *testing.T) {
	v := url.Values{
		"tag":              {"Harry Potter, Alternate Universe", " Fluff "},
		"exclude_tag":      {"Angst"},
		"fandom":           {"Marvel"},
		"exclude_freeform": {"Death"},
		"rating":           {"Mature", "Explicit"},
		"exclude_warning":  {"Major Character Death"},
		"category":         {"F/F"},
		"complete":         {"true"},
		"crossover":        {"exclude"},
		"words_from":       {"1,000"},
		"words_to":         {"0"},
		"updated_from":     {"2024-02-29"},
		"updated_to":       {" 2024-03-01 "},
		"language":         {" en "},
		"sort":             {"kudos"},
		"order":            {"asc"},
		"page":             {"3"},
		"per_page":         {"100"},
	}
	q, err := ParseValues(v)
	if err != nil {
		t.Fatal(err)
	}
	wantInc := []TagRef{{Name: "Harry Potter"}, {Name: "Alternate Universe"}, {Name: "Fluff"}, {Type: archive.TypeFandom, Name: "Marvel"}}
	if !reflect.DeepEqual(q.Include, wantInc) {
		t.Errorf("Include = %v, want %v", q.Include, wantInc)
	}
	wantExc := []TagRef{{Name: "Angst"}, {Type: archive.TypeFreeform, Name: "Death"}}
	if !reflect.DeepEqual(q.Exclude, wantExc) {
		t.Errorf("Exclude = %v, want %v", q.Exclude, wantExc)
	}
	if !reflect.DeepEqual(q.Ratings, []string{"Mature", "Explicit"}) || !reflect.DeepEqual(q.ExcludeWarnings, []string{"Major Character Death"}) ||
		!reflect.DeepEqual(q.Categories, []string{"F/F"}) {
		t.Errorf("fixed: %q %q %q", q.Ratings, q.ExcludeWarnings, q.Categories)
	}
	if q.Complete == nil || !*q.Complete || q.Crossover != "exclude" {
		t.Errorf("complete %v crossover %q", q.Complete, q.Crossover)
	}
	if q.WordsFrom == nil || *q.WordsFrom != 1000 || q.WordsTo == nil || *q.WordsTo != 0 {
		t.Errorf("words %v..%v", q.WordsFrom, q.WordsTo)
	}
	if !q.UpdatedFrom.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) || !q.UpdatedTo.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("updated %v..%v", q.UpdatedFrom, q.UpdatedTo)
	}
	if q.Language != "en" || q.Sort != "kudos" || q.Order != "asc" || q.Page != 3 || q.PerPage != 100 {
		t.Errorf("language %q sort %q order %q page %d per_page %d", q.Language, q.Sort, q.Order, q.Page, q.PerPage)
	}

	// Nothing given: no filters, and Normalize gives SPEC's defaults.
	q, err = ParseValues(url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Complete != nil || q.WordsFrom != nil || q.WordsTo != nil || len(q.Include) != 0 || !q.UpdatedFrom.IsZero() {
		t.Errorf("empty values gave filters: %+v", q)
	}
	if err := q.Normalize(); err != nil || q.Sort != "updated" || q.Order != "desc" || q.Page != 1 || q.PerPage != 20 {
		t.Errorf("defaults: sort %q order %q page %d per_page %d (%v)", q.Sort, q.Order, q.Page, q.PerPage, err)
	}
	for _, s := range []string{"title", "creator"} {
		q := Query{Sort: s}
		if err := q.Normalize(); err != nil || q.Order != "asc" {
			t.Errorf("sort %s: default order %q (%v), want asc", s, q.Order, err)
		}
	}
	q, err = ParseValues(url.Values{"complete": {"false"}})
	if err != nil || q.Complete == nil || *q.Complete {
		t.Errorf("complete=false: %v %v", q.Complete, err)
	}
}

func TestParseValuesBad(t *testing.T) {
	tests := []struct {
		key, value string
	}{
		{"per_page", "101"},
		{"per_page", "0"},
		{"per_page", "-5"},
		{"per_page", "ten"},
		{"page", "0"},
		{"page", "-1"},
		{"page", "1.5"},
		{"page", "99999999999999999999"},
		{"page", "10000001"},
		{"words_from", "-1"},
		{"words_from", "lots"},
		{"words_to", "-1"},
		{"words_to", "1e3"},
		{"updated_from", "2024-13-01"},
		{"updated_from", "2024/01/01"},
		{"updated_to", "yesterday"},
		{"updated_to", "2023-02-29"},
		{"updated_to", "24-01-01"},
		{"complete", "maybe"},
		{"complete", "TRUE"},
		{"crossover", "yes"},
		{"sort", "popularity"},
		{"order", "up"},
	}
	for _, tt := range tests {
		v := url.Values{tt.key: {tt.value}, "tag": {"Fluff"}}
		_, err := ParseValues(v)
		var ve *archive.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.key {
			t.Errorf("%s=%s: error %v, want a ValidationError naming %s", tt.key, tt.value, err, tt.key)
		}
	}
}

func TestNormalizeBad(t *testing.T) {
	for _, tt := range []struct {
		q     Query
		field string
	}{
		{Query{PerPage: 101}, "per_page"},
		{Query{PerPage: -1}, "per_page"},
		{Query{Page: -1}, "page"},
		{Query{Sort: "nope"}, "sort"},
		{Query{Order: "sideways"}, "order"},
		{Query{Crossover: "both"}, "crossover"},
	} {
		q := tt.q
		err := q.Normalize()
		var ve *archive.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("Normalize(%+v) = %v, want a ValidationError naming %s", tt.q, err, tt.field)
		}
	}
}
