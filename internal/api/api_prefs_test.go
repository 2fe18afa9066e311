package api_test

import (
	"net/http"
	"testing"
)

func TestPreferences(t *testing.T) {
	e := newEnv(t)
	e.want(e.do("GET", "/api/v1/me/preferences", "", nil), http.StatusUnauthorized)
	r := e.want(e.do("GET", "/api/v1/me/preferences", e.bob, nil), http.StatusOK)
	for _, k := range []string{"view_adult", "view_full_work", "hide_warnings", "hide_freeforms"} {
		if r.obj[k] != false {
			t.Errorf("default %s: %s", k, r.raw)
		}
	}
	// New accounts hear of subscribed works by e-mail unless they opt out.
	if r.obj["email_notify"] != true {
		t.Errorf("default email_notify: %s", r.raw)
	}
	if r.num("font_size") != 0 || r.str("theme") != "" || r.num("line_width") != 0 {
		t.Errorf("defaults: %s", r.raw)
	}

	r = e.want(e.do("PUT", "/api/v1/me/preferences", e.bob, map[string]any{"view_adult": true, "hide_freeforms": true, "font_size": 120, "theme": "Dark", "line_width": 70}), http.StatusOK)
	check := func(r response) {
		t.Helper()
		if r.obj["view_adult"] != true || r.obj["hide_freeforms"] != true || r.obj["view_full_work"] != false ||
			r.num("font_size") != 120 || r.str("theme") != "dark" || r.num("line_width") != 70 {
			t.Errorf("preferences: %s", r.raw)
		}
	}
	check(r)
	check(e.want(e.do("GET", "/api/v1/me/preferences", e.bob, nil), http.StatusOK))

	// A partial PUT keeps the rest.
	r = e.want(e.do("PUT", "/api/v1/me/preferences", e.bob, map[string]any{"email_notify": true}), http.StatusOK)
	if r.obj["email_notify"] != true || r.num("font_size") != 120 {
		t.Errorf("partial PUT: %s", r.raw)
	}

	for _, bad := range []map[string]any{
		{"font_size": 500}, {"font_size": 10}, {"font_size": -1}, {"line_width": 5}, {"theme": "purple"}, {"fonts_size": 100},
	} {
		r := e.want(e.do("PUT", "/api/v1/me/preferences", e.bob, bad), http.StatusUnprocessableEntity)
		if r.errCode() != "invalid" {
			t.Errorf("%v: %s", bad, r.raw)
		}
	}
	e.want(e.do("PUT", "/api/v1/me/preferences", e.bob, `{"font_size": "big"}`), http.StatusBadRequest)
	check(e.want(e.do("GET", "/api/v1/me/preferences", e.bob, nil), http.StatusOK))
	// Another user's preferences are untouched.
	if r := e.want(e.do("GET", "/api/v1/me/preferences", e.alice, nil), http.StatusOK); r.obj["view_adult"] != false {
		t.Errorf("alice's preferences changed: %s", r.raw)
	}
}
