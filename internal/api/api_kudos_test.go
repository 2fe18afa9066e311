package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// doCookie sends a guest request with a quire_guest cookie.
func (e *env) doCookie(method, p, cookie string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+p, nil)
	req.AddCookie(&http.Cookie{Name: "quire_guest", Value: cookie})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, b.String()
}

func TestKudos(t *testing.T) {
	e := newEnv(t)
	carol := e.user("carol")
	id := e.post(e.alice, work("Kudos Magnet"))
	other := e.post(e.alice, work("Other Work"))
	k := path("/api/v1/works/%d/kudos", id)

	e.want(e.do("POST", k, e.bob, nil), http.StatusCreated)
	e.want(e.do("POST", k, e.bob, nil), http.StatusConflict)
	if r := e.want(e.do("POST", k, e.alice, nil), http.StatusForbidden); r.errCode() != "own_work" {
		t.Errorf("own work: %s", r.raw)
	}
	// Guests: once per cookie (and address).
	if st, body := e.doCookie("POST", k, "guest-one"); st != http.StatusCreated {
		t.Fatalf("guest kudos: %d %s", st, body)
	}
	if st, _ := e.doCookie("POST", k, "guest-one"); st != http.StatusConflict {
		t.Errorf("second guest kudos: %d, want 409", st)
	}
	if st, _ := e.doCookie("POST", k, "guest-two"); st != http.StatusCreated {
		t.Errorf("another guest: %d, want 201", st)
	}
	r := e.want(e.do("GET", k, "", nil), http.StatusOK)
	if r.num("kudos") != 3 || r.num("guests") != 2 || len(r.list("users")) != 1 {
		t.Errorf("kudos %s", r.raw)
	}
	// The count is on the work and the kudos sort reflects it at once.
	if g := e.do("GET", path("/api/v1/works/%d", id), "", nil); g.num("kudos") != 3 {
		t.Errorf("work kudos %d, want 3", g.num("kudos"))
	}
	ids, _ := e.listIDs("", "sort=kudos")
	if len(ids) < 2 || ids[0] != id {
		t.Errorf("sort=kudos gives %v, want %d first", ids, id)
	}
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", other), carol, nil), http.StatusCreated)
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", other), e.bob, nil), http.StatusCreated)
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", other), e.user("dave"), nil), http.StatusCreated)
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", other), e.user("erin"), nil), http.StatusCreated)
	if ids, _ := e.listIDs("", "sort=kudos"); ids[0] != other {
		t.Errorf("after more kudos sort=kudos gives %v, want %d first", ids, other)
	}

	// Restricted works: guests can't see them, so can't kudos them.
	rw := work("Members Only")
	rw["restricted"] = true
	rid := e.post(e.alice, rw)
	if st, _ := e.doCookie("POST", path("/api/v1/works/%d/kudos", rid), "guest-one"); st != http.StatusNotFound {
		t.Errorf("guest kudos on restricted: %d, want 404", st)
	}
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", rid), e.bob, nil), http.StatusCreated)
	// Drafts are not found for others.
	dw := work("Draft")
	dw["draft"] = true
	did := e.post(e.alice, dw)
	e.want(e.do("POST", path("/api/v1/works/%d/kudos", did), e.bob, nil), http.StatusNotFound)
}
