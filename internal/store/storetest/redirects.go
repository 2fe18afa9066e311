package storetest

import (
	"context"
	"errors"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

// testRedirects covers the old URLs of imported archives: they are written
// by an import (DumpWriter.PutRedirect) and read by RedirectTarget.
func testRedirects(t *testing.T, st store.Store) {
	ctx := context.Background()
	if to, err := st.RedirectTarget(ctx, "/viewstory.php?sid=1"); !errors.Is(err, archive.ErrNotFound) || to != "" {
		t.Fatalf("a redirect in an empty archive = %q, %v; want ErrNotFound", to, err)
	}
	must(t, st.ImportDump(ctx, false, func(w store.DumpWriter) error {
		for _, r := range []store.DumpRedirect{
			{From: "/viewstory.php?sid=1", To: "/works/7"},
			{From: "/viewstory.php?sid=12", To: "/works/8"},
			{From: "/viewuser.php?uid=3", To: "/users/ann"},
			{From: "/viewseries.php?seriesid=2", To: "/series/4"},
		} {
			if err := w.PutRedirect(ctx, &r); err != nil {
				return err
			}
		}
		return nil
	}))
	for from, want := range map[string]string{
		"/viewstory.php?sid=1":       "/works/7",
		"/viewstory.php?sid=12":      "/works/8",
		"/viewuser.php?uid=3":        "/users/ann",
		"/viewseries.php?seriesid=2": "/series/4",
	} {
		if to, err := st.RedirectTarget(ctx, from); err != nil || to != want {
			t.Errorf("redirect of %s = %q, %v; want %q", from, to, err, want)
		}
	}
	// The old URL is matched whole, query included: no prefix, no other
	// query, no path without its query.
	for _, from := range []string{"/viewstory.php", "/viewstory.php?sid=2", "/viewstory.php?sid=1&chapter=2", "/viewstory.php?sid=", "viewstory.php?sid=1", ""} {
		if to, err := st.RedirectTarget(ctx, from); !errors.Is(err, archive.ErrNotFound) {
			t.Errorf("redirect of %q = %q, %v; want ErrNotFound", from, to, err)
		}
	}

	// An old URL already mapped is a conflict, and the import it was in
	// leaves nothing behind.
	err := st.ImportDump(ctx, false, func(w store.DumpWriter) error {
		if err := w.PutRedirect(ctx, &store.DumpRedirect{From: "/viewstory.php?sid=99", To: "/works/99"}); err != nil {
			return err
		}
		return w.PutRedirect(ctx, &store.DumpRedirect{From: "/viewstory.php?sid=1", To: "/works/100"})
	})
	if !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("a second redirect from the same URL: %v, want ErrConflict", err)
	}
	if to, _ := st.RedirectTarget(ctx, "/viewstory.php?sid=1"); to != "/works/7" {
		t.Fatalf("a refused import changed a redirect to %q", to)
	}
	if _, err := st.RedirectTarget(ctx, "/viewstory.php?sid=99"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a refused import left a redirect: %v", err)
	}
	// The same URL twice in one file is a conflict too.
	err = st.ImportDump(ctx, false, func(w store.DumpWriter) error {
		for i := 0; i < 2; i++ {
			if err := w.PutRedirect(ctx, &store.DumpRedirect{From: "/viewuser.php?uid=9", To: "/users/bob"}); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("the same redirect twice in a file: %v, want ErrConflict", err)
	}
	// A redirect leads from a path to a path; anything else is invalid.
	for _, r := range []store.DumpRedirect{{From: "viewstory.php?sid=5", To: "/works/5"}, {From: "/viewstory.php?sid=5", To: "https://elsewhere.example/works/5"}, {From: "", To: "/works/5"}} {
		err := st.ImportDump(ctx, false, func(w store.DumpWriter) error { return w.PutRedirect(ctx, &r) })
		var ve *archive.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("redirect %+v: %v, want a validation error", r, err)
		}
	}
	// A dry run writes nothing.
	must(t, st.ImportDump(ctx, true, func(w store.DumpWriter) error {
		return w.PutRedirect(ctx, &store.DumpRedirect{From: "/viewstory.php?sid=50", To: "/works/50"})
	}))
	if _, err := st.RedirectTarget(ctx, "/viewstory.php?sid=50"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a dry run left a redirect: %v", err)
	}

	// The export carries them by old URL.
	var froms []string
	must(t, st.ExportDump(ctx, false, func(r store.DumpRecord) error {
		if r.Redirect != nil {
			froms = append(froms, r.Redirect.From+" "+r.Redirect.To)
		}
		return nil
	}))
	want := "/viewseries.php?seriesid=2 /series/4,/viewstory.php?sid=1 /works/7,/viewstory.php?sid=12 /works/8,/viewuser.php?uid=3 /users/ann"
	if got := joinWith(froms, ","); got != want {
		t.Fatalf("exported redirects %q, want %q", got, want)
	}
}

func joinWith(s []string, sep string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += sep
		}
		out += x
	}
	return out
}
