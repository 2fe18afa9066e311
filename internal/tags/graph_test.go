package tags

import (
	"errors"
	"slices"
	"testing"

	"quire/internal/archive"
)

// Tag ids of the test vocabulary.
const (
	tFandomMeta   = 1  // "Marvel" (canonical)
	tFandomMCU    = 2  // "Marvel Cinematic Universe" (canonical), meta Marvel
	tFandomAvg    = 3  // "The Avengers (2012)" (canonical), meta MCU
	tFandomAvgSyn = 4  // "Avengers 2012" synonym of The Avengers (2012)
	tFandomMCUSyn = 5  // "MCU" synonym of MCU
	tFandomComics = 6  // "Marvel Comics" (canonical), meta Marvel
	tFandomHP     = 7  // "Harry Potter" (canonical)
	tFandomHPSyn  = 8  // "HP" synonym of Harry Potter
	tFandomRaw    = 9  // "Some Fandom" unwrangled
	tFreeAU       = 10 // "Alternate Universe" (canonical)
	tFreeCoffee   = 11 // "Alternate Universe - Coffee Shops & Cafés", meta AU
	tFreeCoffeeSy = 12 // "Coffee Shop AU" synonym of the coffee shop tag
	tFreeRaw      = 13 // "fluffy fluff" unwrangled
	tCharTony     = 14 // "Tony Stark" (canonical character), parent fandom MCU
	tRatingGen    = 15 // "General Audiences"
	tFreeAvg      = 16 // freeform named "Avengers" (canonical)
	tCharAvg      = 17 // character named "avengers" (unwrangled)
	tFandomBoth   = 18 // "Crossover Universe" (canonical), metas HP and Marvel Comics
	tRatingMature = 19 // "Mature"
)

func testNodes() []Node {
	tag := func(id int64, typ archive.TagType, name string, canonical bool, syn int64, meta ...int64) Node {
		return Node{Tag: archive.Tag{ID: id, Type: typ, Name: name, Canonical: canonical, SynonymOf: syn}, Meta: meta}
	}
	F, R, C, A := archive.TypeFandom, archive.TypeFreeform, archive.TypeCharacter, archive.TypeRating
	nodes := []Node{
		tag(tFandomMeta, F, "Marvel", true, 0),
		tag(tFandomMCU, F, "Marvel Cinematic Universe", true, 0, tFandomMeta),
		tag(tFandomAvg, F, "The Avengers (2012)", true, 0, tFandomMCU),
		tag(tFandomAvgSyn, F, "Avengers 2012", false, tFandomAvg),
		tag(tFandomMCUSyn, F, "MCU", false, tFandomMCU),
		tag(tFandomComics, F, "Marvel Comics", true, 0, tFandomMeta),
		tag(tFandomHP, F, "Harry Potter", true, 0),
		tag(tFandomHPSyn, F, "HP", false, tFandomHP),
		tag(tFandomRaw, F, "Some Fandom", false, 0),
		tag(tFreeAU, R, "Alternate Universe", true, 0),
		tag(tFreeCoffee, R, "Alternate Universe - Coffee Shops & Cafés", true, 0, tFreeAU),
		tag(tFreeCoffeeSy, R, "Coffee Shop AU", false, tFreeCoffee),
		tag(tFreeRaw, R, "fluffy fluff", false, 0),
		tag(tCharTony, C, "Tony Stark", true, 0),
		tag(tRatingGen, A, archive.RatingGeneral, true, 0),
		tag(tFreeAvg, R, "Avengers", true, 0),
		tag(tCharAvg, C, "avengers", false, 0),
		tag(tFandomBoth, F, "Crossover Universe", true, 0, tFandomHP, tFandomComics),
		tag(tRatingMature, A, archive.RatingMature, true, 0),
	}
	nodes[13].Parents = []int64{tFandomMCU}
	// Shuffle the input order: the graph must not depend on it.
	slices.Reverse(nodes)
	return nodes
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func TestExpand(t *testing.T) {
	g := NewGraph(testNodes())
	tests := []struct {
		name   string
		filter int64
		want   []int64
	}{
		{"leaf canonical with synonym", tFandomAvg, []int64{tFandomAvg, tFandomAvgSyn}},
		{"synonym filters by its canonical", tFandomAvgSyn, []int64{tFandomAvg, tFandomAvgSyn}},
		{"sub tags and their synonyms", tFandomMCU, []int64{tFandomMCU, tFandomMCUSyn, tFandomAvg, tFandomAvgSyn}},
		{"sub tags at depth", tFandomMeta, []int64{tFandomMeta, tFandomMCU, tFandomMCUSyn, tFandomAvg, tFandomAvgSyn, tFandomComics, tFandomBoth}},
		{"synonym of a meta", tFandomMCUSyn, []int64{tFandomMCU, tFandomMCUSyn, tFandomAvg, tFandomAvgSyn}},
		{"two metas", tFandomHP, []int64{tFandomHP, tFandomHPSyn, tFandomBoth}},
		{"unwrangled matches only itself", tFandomRaw, []int64{tFandomRaw}},
		{"freeform meta", tFreeAU, []int64{tFreeAU, tFreeCoffee, tFreeCoffeeSy}},
		{"synonym of a sub tag", tFreeCoffeeSy, []int64{tFreeCoffee, tFreeCoffeeSy}},
		{"parent fandoms don't filter", tFandomMCU, []int64{tFandomMCU, tFandomMCUSyn, tFandomAvg, tFandomAvgSyn}},
		{"unknown id", 999, []int64{999}},
	}
	for _, tt := range tests {
		got := g.Expand(tt.filter)
		if !slices.Equal(sorted(got), sorted(tt.want)) {
			t.Errorf("%s: Expand(%d) = %v, want %v", tt.name, tt.filter, sorted(got), sorted(tt.want))
		}
		// No duplicates: the index ORs these.
		if len(slices.Compact(sorted(got))) != len(got) {
			t.Errorf("%s: Expand(%d) = %v has duplicates", tt.name, tt.filter, got)
		}
	}
}

func TestMatchesAndMetaClosure(t *testing.T) {
	g := NewGraph(testNodes())
	closures := []struct {
		id   int64
		want []int64
	}{
		{tFandomAvg, []int64{tFandomAvg, tFandomMCU, tFandomMeta}},
		{tFandomMeta, []int64{tFandomMeta}},
		{tFandomBoth, []int64{tFandomBoth, tFandomHP, tFandomComics, tFandomMeta}},
		{tFandomRaw, []int64{tFandomRaw}},
		{999, []int64{999}},
	}
	for _, tt := range closures {
		got := g.MetaClosure(tt.id)
		if !slices.Equal(sorted(got), sorted(tt.want)) {
			t.Errorf("MetaClosure(%d) = %v, want %v", tt.id, sorted(got), sorted(tt.want))
		}
		if got[0] != tt.id {
			t.Errorf("MetaClosure(%d) = %v: the tag itself should come first", tt.id, got)
		}
	}
	matches := []struct {
		id   int64
		want []int64
	}{
		{tFandomAvgSyn, []int64{tFandomAvg, tFandomMCU, tFandomMeta}},
		{tFandomAvg, []int64{tFandomAvg, tFandomMCU, tFandomMeta}},
		{tFandomMCUSyn, []int64{tFandomMCU, tFandomMeta}},
		{tFreeCoffeeSy, []int64{tFreeCoffee, tFreeAU}},
		{tFreeRaw, []int64{tFreeRaw}},
		{tCharTony, []int64{tCharTony}}, // parent fandoms are not meta tags
		{tFandomHPSyn, []int64{tFandomHP}},
	}
	for _, tt := range matches {
		got := g.Matches(tt.id)
		if !slices.Equal(sorted(got), sorted(tt.want)) {
			t.Errorf("Matches(%d) = %v, want %v", tt.id, sorted(got), sorted(tt.want))
		}
	}
	// Matches is the inverse of Expand: f ∈ Matches(t) ⇔ t ∈ Expand(f).
	for _, n := range testNodes() {
		for _, f := range testNodes() {
			if !f.Filterable() {
				continue
			}
			inMatches := slices.Contains(g.Matches(n.ID), f.ID)
			inExpand := slices.Contains(g.Expand(f.ID), n.ID)
			if inMatches != inExpand {
				t.Errorf("tag %d, filter %d: in Matches %v, in Expand %v", n.ID, f.ID, inMatches, inExpand)
			}
		}
	}
}

func TestFilterTagAndLookup(t *testing.T) {
	g := NewGraph(testNodes())
	for id, want := range map[int64]int64{tFandomAvgSyn: tFandomAvg, tFandomAvg: tFandomAvg, tFreeRaw: tFreeRaw, 999: 999} {
		if got := g.FilterTag(id); got != want {
			t.Errorf("FilterTag(%d) = %d, want %d", id, got, want)
		}
	}
	ids := func(ns []*Node) []int64 {
		var out []int64
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return out
	}
	tests := []struct {
		typ  archive.TagType
		name string
		want []int64
	}{
		{"", "AVENGERS", []int64{tFreeAvg, tCharAvg}}, // id order, any type
		{archive.TypeCharacter, "Avengers", []int64{tCharAvg}},
		{archive.TypeFandom, "Avengers", nil},
		{"", "  alternate universe - coffee shops & cafés ", []int64{tFreeCoffee}},
		{"", "ALTERNATE UNIVERSE - COFFEE SHOPS & CAFÉS", []int64{tFreeCoffee}},
		{"", "Alternate Universe - Coffee Shops & Cafe\u0301s", []int64{tFreeCoffee}}, // NFD
		{"", "nope", nil},
	}
	for _, tt := range tests {
		if got := ids(g.Lookup(tt.typ, tt.name)); !slices.Equal(got, tt.want) {
			t.Errorf("Lookup(%q, %q) = %v, want %v", tt.typ, tt.name, got, tt.want)
		}
	}
	if g.Len() != len(testNodes()) {
		t.Errorf("Len = %d", g.Len())
	}
	if n := g.Node(tCharTony); n == nil || !slices.Equal(n.Parents, []int64{tFandomMCU}) {
		t.Errorf("Node(Tony) = %+v", n)
	}
	if got := sorted(g.Synonyms(tFandomAvg)); !slices.Equal(got, []int64{tFandomAvgSyn}) {
		t.Errorf("Synonyms = %v", got)
	}
	if got := sorted(g.Subs(tFandomMeta)); !slices.Equal(got, []int64{tFandomMCU, tFandomComics}) {
		t.Errorf("Subs = %v", got)
	}
}

func TestIsCrossover(t *testing.T) {
	g := NewGraph(testNodes())
	tests := []struct {
		name    string
		fandoms []int64
		want    bool
	}{
		{"none", nil, false},
		{"one", []int64{tFandomHP}, false},
		{"same fandom twice", []int64{tFandomHP, tFandomHP}, false},
		{"tag and its synonym", []int64{tFandomHP, tFandomHPSyn}, false},
		{"sub fandom and its meta", []int64{tFandomAvg, tFandomMCU}, false},
		{"sub fandoms sharing a meta", []int64{tFandomAvg, tFandomComics}, false},
		{"synonyms of sub fandoms sharing a meta", []int64{tFandomAvgSyn, tFandomComics}, false},
		{"synonym resolved to a shared meta", []int64{tFandomMCUSyn, tFandomAvgSyn}, false},
		{"unrelated", []int64{tFandomHP, tFandomAvg}, true},
		{"unrelated through synonyms", []int64{tFandomHPSyn, tFandomAvgSyn}, true},
		{"unwrangled and canonical", []int64{tFandomRaw, tFandomHP}, true},
		{"two metas bridge both", []int64{tFandomBoth, tFandomHP}, false},
		{"two metas bridge both, other side", []int64{tFandomBoth, tFandomAvg}, false},
		{"any unrelated pair makes a crossover", []int64{tFandomBoth, tFandomHP, tFandomAvg}, true},
	}
	for _, tt := range tests {
		if got := g.IsCrossover(tt.fandoms); got != tt.want {
			t.Errorf("%s: IsCrossover(%v) = %v, want %v", tt.name, tt.fandoms, got, tt.want)
		}
	}
}

func wantInvalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	var ve *archive.ValidationError
	if !errors.As(err, &ve) || ve.Field != field {
		t.Errorf("%s: error = %v, want a ValidationError on %q", what, err, field)
	}
}

func TestCheckMeta(t *testing.T) {
	g := NewGraph(testNodes())
	bad := []struct {
		name      string
		sub, meta int64
	}{
		{"type mismatch", tFreeCoffee, tFandomMeta},
		{"type mismatch, character under fandom", tCharTony, tFandomMCU},
		{"self-loop", tFandomMCU, tFandomMCU},
		{"direct cycle", tFandomMCU, tFandomAvg},
		{"cycle at depth", tFandomMeta, tFandomAvg},
		{"cycle through a second meta", tFandomHP, tFandomBoth},
		{"non-canonical meta (synonym)", tFandomHP, tFandomAvgSyn},
		{"non-canonical meta (unwrangled)", tFandomHP, tFandomRaw},
		{"non-canonical sub (synonym)", tFandomAvgSyn, tFandomHP},
		{"non-canonical sub (unwrangled)", tFandomRaw, tFandomHP},
		{"unknown sub", 999, tFandomHP},
		{"unknown meta", tFandomHP, 999},
	}
	for _, tt := range bad {
		wantInvalid(t, tt.name, g.CheckMeta(tt.sub, tt.meta), "meta")
	}
	good := []struct {
		name      string
		sub, meta int64
	}{
		{"new meta", tFandomHP, tFandomMeta},
		{"edge that exists", tFandomAvg, tFandomMCU},
		{"shortcut to a higher meta (no cycle)", tFandomAvg, tFandomMeta},
		{"freeform", tFreeAvg, tFreeAU},
		{"diamond", tFandomBoth, tFandomMeta},
	}
	for _, tt := range good {
		if err := g.CheckMeta(tt.sub, tt.meta); err != nil {
			t.Errorf("%s: CheckMeta(%d, %d) = %v, want nil", tt.name, tt.sub, tt.meta, err)
		}
	}
}

func TestCheckSynonym(t *testing.T) {
	g := NewGraph(testNodes())
	bad := []struct {
		name        string
		tag, target int64
	}{
		{"itself", tFreeRaw, tFreeRaw},
		{"type mismatch", tFreeRaw, tFandomHP},
		{"target not canonical (synonym)", tFreeRaw, tFreeCoffeeSy},
		{"target not canonical (unwrangled)", tFandomRaw, tFandomAvgSyn},
		{"fixed vocabulary", tRatingMature, tRatingGen},
		{"unknown tag", 999, tFandomHP},
		{"unknown target", tFreeRaw, 999},
	}
	for _, tt := range bad {
		wantInvalid(t, tt.name, g.CheckSynonym(tt.tag, tt.target), "synonym_of")
	}
	good := []struct {
		name        string
		tag, target int64
	}{
		{"unwrangled to canonical", tFreeRaw, tFreeAU},
		{"re-point a synonym", tFandomAvgSyn, tFandomMCU},
		{"same name, other type is not involved", tCharAvg, tCharTony},
	}
	for _, tt := range good {
		if err := g.CheckSynonym(tt.tag, tt.target); err != nil {
			t.Errorf("%s: CheckSynonym(%d, %d) = %v, want nil", tt.name, tt.tag, tt.target, err)
		}
	}
}

func TestNewGraphEmpty(t *testing.T) {
	g := NewGraph(nil)
	if g.Len() != 0 || g.Node(1) != nil || g.Lookup("", "x") != nil {
		t.Errorf("empty graph: Len %d, Node %v", g.Len(), g.Node(1))
	}
	// Unknown fandoms resolve to themselves and share nothing.
	if !g.IsCrossover([]int64{1, 2}) {
		t.Errorf("two unknown fandoms should be a crossover")
	}
}
