package api_test

import (
	"net/http"
	"testing"
)

func seriesWorks(r response) (ids, positions []int) {
	for _, w := range r.list("works") {
		m := w.(map[string]any)
		ids = append(ids, int(m["id"].(float64)))
		positions = append(positions, int(m["position"].(float64)))
	}
	return ids, positions
}

func TestSeries(t *testing.T) {
	e := newEnv(t)
	r := e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Lanterns", "summary": "<p>Three <b>tales</b><script>x</script></p>", "complete": false}), http.StatusCreated)
	sid := r.num("id")
	if r.str("title") != "Lanterns" || r.str("summary") != "<p>Three <b>tales</b></p>" || len(r.list("works")) != 0 {
		t.Fatalf("created: %s", r.raw)
	}
	if c := creators(r); len(c) != 1 || c[0] != "alice" {
		t.Fatalf("creators %v", c)
	}
	e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "  "}), http.StatusUnprocessableEntity)
	e.want(e.do("POST", "/api/v1/series", "", map[string]any{"title": "x"}), http.StatusUnauthorized)

	one, two := e.post(e.alice, work("First")), e.post(e.alice, work("Second"))
	draftBody := work("Draft Part")
	draftBody["draft"] = true
	draft := e.post(e.alice, draftBody)
	bobs := e.post(e.bob, work("Bob's"))

	// An empty series is its creator's only.
	e.want(e.do("GET", path("/api/v1/series/%d", sid), e.bob, nil), http.StatusNotFound)
	e.want(e.do("GET", path("/api/v1/series/%d", sid), e.alice, nil), http.StatusOK)

	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid, two), e.alice, map[string]any{"position": 1}), http.StatusOK)
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid, one), e.alice, map[string]any{"position": 1}), http.StatusOK)
	r = e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid, draft), e.alice, nil), http.StatusOK)
	if ids, pos := seriesWorks(r); len(ids) != 3 || ids[0] != one || ids[1] != two || ids[2] != draft || pos[2] != 3 {
		t.Fatalf("order %v %v", ids, pos)
	}
	// Others see the posted parts only.
	r = e.want(e.do("GET", path("/api/v1/series/%d", sid), "", nil), http.StatusOK)
	if ids, pos := seriesWorks(r); len(ids) != 2 || ids[0] != one || ids[1] != two || pos[0] != 1 || pos[1] != 2 {
		t.Fatalf("guest order %v %v", ids, pos)
	}

	// WORK JSON carries series[].
	r = e.want(e.do("GET", path("/api/v1/works/%d", two), "", nil), http.StatusOK)
	ss := r.list("series")
	if len(ss) != 1 {
		t.Fatalf("series[]: %s", r.raw)
	}
	if m := ss[0].(map[string]any); int(m["id"].(float64)) != sid || m["title"] != "Lanterns" || int(m["position"].(float64)) != 2 {
		t.Fatalf("series[0] = %v", m)
	}
	_, l := e.listIDs("", "")
	for _, w := range l.list("works") {
		m := w.(map[string]any)
		if int(m["id"].(float64)) == one && len(m["series"].([]any)) != 1 {
			t.Fatalf("listing series[]: %v", m)
		}
	}

	// A work may be in several series.
	r = e.want(e.do("POST", "/api/v1/series", e.alice, map[string]any{"title": "Collected"}), http.StatusCreated)
	sid2 := r.num("id")
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid2, two), e.alice, map[string]any{}), http.StatusOK)
	r = e.want(e.do("GET", path("/api/v1/works/%d", two), "", nil), http.StatusOK)
	if len(r.list("series")) != 2 {
		t.Fatalf("two series: %s", r.raw)
	}

	// Others can't add to, change or delete alice's series; nor add alice's work to theirs.
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid, bobs), e.bob, nil), http.StatusForbidden)
	e.want(e.do("PATCH", path("/api/v1/series/%d", sid), e.bob, map[string]any{"title": "Mine"}), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/series/%d", sid), e.bob, nil), http.StatusForbidden)
	r = e.want(e.do("POST", "/api/v1/series", e.bob, map[string]any{"title": "Bob's series"}), http.StatusCreated)
	bsid := r.num("id")
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", bsid, one), e.bob, nil), http.StatusForbidden)
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", bsid, draft), e.bob, nil), http.StatusNotFound)
	e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid, one), e.alice, map[string]any{"position": -1}), http.StatusUnprocessableEntity)

	// Update, move, remove, delete.
	r = e.want(e.do("PATCH", path("/api/v1/series/%d", sid), e.alice, map[string]any{"complete": true}), http.StatusOK)
	if r.obj["complete"] != true || r.str("title") != "Lanterns" {
		t.Fatalf("patched: %s", r.raw)
	}
	r = e.want(e.do("PUT", path("/api/v1/series/%d/works/%d", sid, one), e.alice, map[string]any{"position": 9}), http.StatusOK)
	if ids, _ := seriesWorks(r); ids[0] != two || ids[2] != one {
		t.Fatalf("moved %v", ids)
	}
	e.want(e.do("DELETE", path("/api/v1/series/%d/works/%d", sid, one), e.bob, nil), http.StatusForbidden)
	e.want(e.do("DELETE", path("/api/v1/series/%d/works/%d", sid, one), e.alice, nil), http.StatusNoContent)
	e.want(e.do("DELETE", path("/api/v1/series/%d/works/%d", sid, one), e.alice, nil), http.StatusNotFound)
	e.want(e.do("DELETE", path("/api/v1/series/%d", sid2), e.alice, nil), http.StatusNoContent)
	e.want(e.do("GET", path("/api/v1/series/%d", sid2), e.alice, nil), http.StatusNotFound)
	r = e.want(e.do("GET", path("/api/v1/works/%d", two), "", nil), http.StatusOK)
	if len(r.list("series")) != 1 {
		t.Fatalf("after delete: %s", r.raw)
	}
	// Deleting a work takes it out of its series.
	e.want(e.do("DELETE", path("/api/v1/works/%d", two), e.alice, nil), http.StatusNoContent)
	r = e.want(e.do("GET", path("/api/v1/series/%d", sid), e.alice, nil), http.StatusOK)
	if ids, pos := seriesWorks(r); len(ids) != 1 || ids[0] != draft || pos[0] != 1 {
		t.Fatalf("after work delete %v %v", ids, pos)
	}
	e.want(e.do("GET", path("/api/v1/series/%d", sid), "", nil), http.StatusNotFound)
}
