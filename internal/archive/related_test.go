package archive

import (
	"strings"
	"testing"
)

func TestCleanRelated(t *testing.T) {
	got, err := CleanRelated([]RelatedInput{
		{URL: "https://quire.example/works/12/chapters/3", Kind: RelatedTranslation},
		{URL: "/works/12"}, // a repeat
		{URL: "7"},
		{URL: " https://elsewhere.example/story ", Title: " A  Story ", Creator: "Someone", Kind: RelatedRemix},
		{},
	}, "https://quire.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].WorkID != 12 || got[0].Kind != RelatedTranslation || got[1].WorkID != 7 || got[1].Kind != RelatedInspiredBy ||
		got[2].URL != "https://elsewhere.example/story" || got[2].Title != "A Story" {
		t.Fatalf("%+v", got)
	}
	bad := []struct {
		in   RelatedInput
		want string
	}{
		{RelatedInput{URL: "javascript:alert(1)", Title: "x"}, "not a web address"},
		{RelatedInput{URL: "https://e.example/"}, "needs a title"},
		{RelatedInput{Title: "Orphan title"}, "needs the work's URL"},
		{RelatedInput{WorkID: 3, Kind: "sequel"}, "not inspired_by"},
		{RelatedInput{URL: "https://e.example/", Title: strings.Repeat("t", MaxRelatedTitle+1)}, "longer than"},
		{RelatedInput{WorkID: -2}, "not a work's id"},
	}
	for _, b := range bad {
		if _, err := CleanRelated([]RelatedInput{b.in}, ""); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: %v, want %q", b.in, err, b.want)
		}
	}
	many := make([]RelatedInput, MaxRelatedPerWork+1)
	for i := range many {
		many[i].WorkID = int64(i + 1)
	}
	if _, err := CleanRelated(many, ""); err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Errorf("too many: %v", err)
	}
}

func FuzzCleanRelated(f *testing.F) {
	f.Add("https://quire.example/works/5", "t", "c", "remix")
	f.Add("/works/99999999999999999999", "", "", "")
	f.Fuzz(func(t *testing.T, u, title, creator, kind string) {
		out, err := CleanRelated([]RelatedInput{{URL: u, Title: title, Creator: creator, Kind: kind}}, "https://quire.example")
		if err != nil {
			return
		}
		for _, r := range out {
			if r.WorkID <= 0 && !strings.HasPrefix(r.URL, "http") {
				t.Fatalf("accepted %+v", r)
			}
		}
	})
}
