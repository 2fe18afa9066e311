package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// Half a megabyte of Markdown nested as deep as it goes is posted in
// bounded work: kept flattened to the depth limit when it only nests,
// refused with a 422 that says why when it would make more HTML than a
// chapter may hold. Never a 500, and nothing stored for the refused one.
func TestHostileNestedBodyThroughTheAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("posts half-megabyte bodies")
	}
	e := newEnv(t)
	w := work("Deep Water")
	w["chapters"] = []map[string]any{{"body": strings.Repeat("- ", 250_000) + "bottom", "format": "markdown"}}
	id := e.post(e.alice, w)
	r := e.want(e.do("GET", path("/api/v1/works/%d/chapters/1", id), e.alice, nil), http.StatusOK)
	if body := r.str("body"); strings.Count(body, "<ul>") != 32 || !strings.Contains(body, "bottom") {
		t.Errorf("the stored chapter has %d lists and %d bytes", strings.Count(body, "<ul>"), len(body))
	}

	w = work("Wide Water")
	w["chapters"] = []map[string]any{{"body": strings.Repeat(strings.Repeat("> ", 32)+"x\n\n", 500_000/67), "format": "markdown"}}
	r = e.want(e.do("POST", "/api/v1/works", e.alice, w), http.StatusUnprocessableEntity)
	if !strings.Contains(r.errMessage(), "bytes of HTML") {
		t.Errorf("refusal: %s", r.raw)
	}
	if ids, _ := e.listIDs(e.alice, ""); len(ids) != 1 {
		t.Errorf("works listed after the refusal: %v", ids)
	}
}
