package web_test

import (
	"context"
	"net/http"
	"testing"

	"quire/internal/store"
	"quire/internal/web"
)

// An imported eFiction archive's old URLs redirect permanently; unknown
// ones stay 404.
func TestLegacyRedirects(t *testing.T) {
	r := newRig(t, web.Options{})
	err := r.store.ImportDump(context.Background(), false, func(w store.DumpWriter) error {
		for _, rd := range []store.DumpRedirect{
			{From: "/viewstory.php?sid=7", To: "/works/3"},
			{From: "/viewstory.php?sid=7&chapter=2", To: "/works/3/chapters/9"},
			{From: "/fanfiction/viewuser.php?uid=4", To: "/users/wren"},
		} {
			if err := w.PutRedirect(context.Background(), &rd); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{
		"/viewstory.php?sid=7":              "/works/3",
		"/viewstory.php?chapter=2&sid=7":    "/works/3/chapters/9",
		"/viewstory.php?sid=7&chapter=5":    "/works/3",
		"/efiction/viewstory.php?sid=7&i=1": "/works/3",
		"/fanfiction/viewuser.php?uid=4":    "/users/wren",
		"/viewuser.php?uid=4":               "",
		"/viewstory.php?sid=8":              "",
		"/viewstory.php?sid=x":              "",
		"/works/viewseries.php?seriesid=1":  "",
	} {
		resp, err := client.Get(r.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want == "" {
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want 301 to %s", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}
