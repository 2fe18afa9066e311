package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"quire/internal/archive"
)

// wrangler makes a user with the wrangler role and returns its token.
func (e *env) wrangler(name string) string {
	e.t.Helper()
	tok := e.user(name)
	ctx := context.Background()
	u, err := e.store.UserByName(ctx, name)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.SetUserRoles(ctx, u.ID, []string{archive.RoleWrangler}); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func tagPath(name string) string { return "/api/v1/tags/" + url.PathEscape(name) }

func strs(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func (e *env) ids(query string) []int {
	e.t.Helper()
	ids, _ := e.listIDs("", query)
	slices.Sort(ids)
	return ids
}

func TestWrangleTagsThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	wr := e.wrangler("wendy")
	post := func(title string, freeforms ...string) int {
		w := work(title)
		w["freeforms"] = freeforms
		return e.post(e.alice, w)
	}
	au := post("Only AU", "AU")
	full := post("Spelled out", "Alternate Universe")
	cafe := post("Cafe", "Alternate Universe - Coffee Shops & Cafés")
	aq := "tag=" + url.QueryEscape("Alternate Universe")

	// An unwrangled tag, as anyone sees it.
	r := e.want(e.do("GET", tagPath("AU"), "", nil), http.StatusOK)
	if r.str("name") != "AU" || r.str("type") != "freeform" || r.obj["canonical"] != false || r.obj["synonym_of"] != nil ||
		r.list("synonyms") == nil || r.list("meta") == nil || r.list("sub") == nil || r.list("parent_fandoms") == nil || r.num("works") != 1 {
		t.Errorf("GET AU: %s", r.raw)
	}
	e.want(e.do("GET", tagPath("No Such Tag"), "", nil), http.StatusNotFound)
	e.want(e.do("GET", tagPath("AU")+"?type=fandom", "", nil), http.StatusNotFound)
	e.want(e.do("GET", tagPath("AU")+"?type=nonsense", "", nil), http.StatusUnprocessableEntity)

	// Who may wrangle.
	canon := map[string]any{"canonical": true}
	e.want(e.do("PATCH", tagPath("Alternate Universe"), "", canon), http.StatusUnauthorized)
	e.want(e.do("PATCH", tagPath("Alternate Universe"), e.bob, canon), http.StatusForbidden)
	e.want(e.do("PATCH", tagPath("No Such Tag"), wr, canon), http.StatusNotFound)
	if got := e.ids(aq); !slices.Equal(got, []int{full}) {
		t.Fatalf("a refused change landed: %v", got)
	}

	r = e.want(e.do("PATCH", tagPath("Alternate Universe"), wr, canon), http.StatusOK)
	if r.obj["canonical"] != true {
		t.Errorf("made canonical: %s", r.raw)
	}
	r = e.want(e.do("PATCH", tagPath("AU"), wr, map[string]any{"synonym_of": "alternate universe"}), http.StatusOK)
	if r.str("synonym_of") != "Alternate Universe" || r.obj["canonical"] != false {
		t.Errorf("made a synonym: %s", r.raw)
	}
	// At once: the next listing request follows the synonym, both ways.
	if got := e.ids(aq); !slices.Equal(got, []int{au, full}) {
		t.Errorf("tag=Alternate Universe: %v, want %v", got, []int{au, full})
	}
	if got := e.ids("tag=AU"); !slices.Equal(got, []int{au, full}) {
		t.Errorf("tag=AU: %v, want the canonical tag's works", got)
	}

	cafePath := tagPath("Alternate Universe - Coffee Shops & Cafés")
	e.want(e.do("PATCH", cafePath, wr, map[string]any{"canonical": true, "meta": map[string]any{"add": []string{"Alternate Universe"}}}), http.StatusOK)
	if got := e.ids(aq); !slices.Equal(got, []int{au, full, cafe}) {
		t.Errorf("with the coffee-shop sub tag: %v", got)
	}
	r = e.want(e.do("GET", tagPath("Alternate Universe"), "", nil), http.StatusOK)
	if !slices.Equal(strs(r.obj["synonyms"]), []string{"AU"}) || !slices.Equal(strs(r.obj["sub"]), []string{"Alternate Universe - Coffee Shops & Cafés"}) || r.num("works") != 3 {
		t.Errorf("GET Alternate Universe: %s", r.raw)
	}
	e.want(e.do("PATCH", cafePath, wr, map[string]any{"meta": map[string]any{"remove": []string{"Alternate Universe"}}}), http.StatusOK)
	if got := e.ids(aq); !slices.Equal(got, []int{au, full}) {
		t.Errorf("after removing the meta tag: %v", got)
	}

	// Rules broken are 422 with a message naming the tags.
	e.want(e.do("PATCH", cafePath, wr, map[string]any{"meta": map[string]any{"add": []string{"Alternate Universe"}}}), http.StatusOK)
	r = e.want(e.do("PATCH", tagPath("Alternate Universe"), wr, map[string]any{"meta": map[string]any{"add": []string{"Alternate Universe - Coffee Shops & Cafés"}}}), http.StatusUnprocessableEntity)
	if m := r.errMessage(); !strings.Contains(m, "cycle") || !strings.Contains(m, `"Alternate Universe"`) || !strings.Contains(m, `"Alternate Universe - Coffee Shops & Cafés"`) {
		t.Errorf("cycle: %s", r.raw)
	}
	r = e.want(e.do("PATCH", cafePath, wr, map[string]any{"meta": map[string]any{"add": []string{"Alternate Universe - Coffee Shops & Cafés"}}}), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), "its own meta tag") {
		t.Errorf("self-loop: %s", r.raw)
	}
	r = e.want(e.do("PATCH", tagPath("Alternate Universe"), wr, map[string]any{"meta": map[string]any{"add": []string{"Test Fandom"}}}), http.StatusUnprocessableEntity)
	if m := r.errMessage(); !strings.Contains(m, `"Test Fandom"`) || !strings.Contains(m, "same type") {
		t.Errorf("type mismatch: %s", r.raw)
	}
	r = e.want(e.do("PATCH", tagPath("AU"), wr, map[string]any{"synonym_of": "Missing Tag"}), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), `"Missing Tag"`) {
		t.Errorf("missing target: %s", r.raw)
	}
	e.want(e.do("PATCH", tagPath("Alternate Universe"), wr, map[string]any{"parent_fandoms": map[string]any{"add": []string{"Alternate Universe"}}}), http.StatusUnprocessableEntity)

	// Malformed bodies are 400.
	for _, body := range []string{`{`, `[]`, `{"canonical": "yes"}`, `{"canonical": null}`, `{"synonym": "AU"}`, `{"meta": ["x"]}`} {
		e.want(e.do("PATCH", tagPath("AU"), wr, body), http.StatusBadRequest)
	}
	// synonym_of null clears it.
	r = e.want(e.do("PATCH", tagPath("AU"), wr, `{"synonym_of": null}`), http.StatusOK)
	if r.obj["synonym_of"] != nil {
		t.Errorf("cleared synonym: %s", r.raw)
	}
	if got := e.ids("tag=AU"); !slices.Equal(got, []int{au}) {
		t.Errorf("tag=AU after clearing: %v", got)
	}

	// Names with slashes and ampersands travel percent-encoded (or AO3-escaped).
	post("Hurt", "Hurt/Comfort")
	e.want(e.do("PATCH", "/api/v1/tags/Hurt%2FComfort", wr, canon), http.StatusOK)
	r = e.want(e.do("GET", "/api/v1/tags/Hurt*s*Comfort", "", nil), http.StatusOK)
	if r.str("name") != "Hurt/Comfort" || r.obj["canonical"] != true {
		t.Errorf("escaped name: %s", r.raw)
	}
	e.want(e.do("DELETE", tagPath("AU"), wr, nil), http.StatusMethodNotAllowed)
}

func TestAutocompleteTags(t *testing.T) {
	e := newEnv(t)
	wr := e.wrangler("wendy")
	post := func(title string, draft bool, freeforms ...string) {
		w := work(title)
		w["freeforms"] = freeforms
		w["draft"] = draft
		e.post(e.alice, w)
	}
	post("1", false, "Fluff", "Fluffy Unwrangled")
	post("2", false, "Fluffy Unwrangled")
	post("3", false, "Fluffy Unwrangled", "Tooth-Rotting Fluff")
	post("4", true, "Fluffdraft Secret")
	e.want(e.do("PATCH", tagPath("Fluff"), wr, map[string]any{"canonical": true}), http.StatusOK)

	names := func(query string) []string {
		r := e.want(e.do("GET", "/api/v1/autocomplete/tags?"+query, "", nil), http.StatusOK)
		var out []string
		for _, x := range r.list("tags") {
			m := x.(map[string]any)
			if m["type"] == nil || m["canonical"] == nil || m["works"] == nil {
				t.Errorf("suggestion without its fields: %v", m)
			}
			out = append(out, m["name"].(string))
		}
		return out
	}
	// Canonical first even though the unwrangled tag is more used; a word
	// inside a name matches too; the draft's tag never shows.
	if got, want := names("q=flu"), []string{"Fluff", "Fluffy Unwrangled", "Tooth-Rotting Fluff"}; !slices.Equal(got, want) {
		t.Errorf("q=flu: %q, want %q", got, want)
	}
	if got := names("q=fluffd"); len(got) != 0 {
		t.Errorf("a draft-only tag was revealed: %q", got)
	}
	if got := names("type=fandom&q=flu"); len(got) != 0 {
		t.Errorf("type=fandom: %q", got)
	}
	if got := names("type=freeform&q=FLUFF"); len(got) != 3 {
		t.Errorf("case: %q", got)
	}
	e.want(e.do("GET", "/api/v1/autocomplete/tags", "", nil), http.StatusUnprocessableEntity)
	e.want(e.do("GET", "/api/v1/autocomplete/tags?q=flu&type=bogus", "", nil), http.StatusUnprocessableEntity)

	// At most 20.
	var many []string
	for i := range 25 {
		many = append(many, "Many "+string(rune('a'+i)))
	}
	post("many", false, many...)
	if got := names("q=many"); len(got) != 20 {
		t.Errorf("q=many gave %d", len(got))
	}
}
