package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/httperr"
	"quire/internal/site"
)

// Saved searches: the "Save this search" form under every works listing
// posts the listing's parameters here; /account/searches lists them with
// rename, delete, default, digest and each one's private feed.

// saveParams is a listing's parameters as "Save this search" keeps them:
// the form's listing parameters plus what the page itself filters by (the
// tag of /tags/{name}/works, the creator of /users/{name}/works, the
// collection of /collections/{name}/works, the pseud of
// /users/{name}/pseuds/{pseud}, whose listing has no text search). Any
// other page offers no save form: nil.
func saveParams(r *http.Request, form url.Values) url.Values {
	out := url.Values{}
	for k, vals := range form {
		if site.IsSavedParam(k) {
			out[k] = vals
		}
	}
	path := r.URL.Path
	switch {
	case path == "/works" || path == "/works/search":
	case strings.HasPrefix(path, "/tags/") && strings.HasSuffix(path, "/works"):
		out.Add("tag", tagFromPath(r))
	case strings.HasPrefix(path, "/users/") && strings.HasSuffix(path, "/works") && strings.Count(path, "/") == 3:
		q := `creator:"` + r.PathValue("name") + `"`
		if prev := strings.TrimSpace(out.Get("q")); prev != "" {
			q = prev + " " + q
		}
		out.Set("q", q)
	case strings.HasPrefix(path, "/collections/") && strings.HasSuffix(path, "/works"):
		out.Set("collection", r.PathValue("name"))
	case strings.HasPrefix(path, "/users/") && strings.Contains(path, "/pseuds/"):
		out.Del("q")
		out.Set("pseud", r.PathValue("name")+"/"+r.PathValue("pseud"))
	default:
		return nil
	}
	return out
}

type savedSearchesPage struct {
	Searches []site.SavedSearch
	Max      int
	// Name and Params refill the form after a refused save.
	Name   string
	Params url.Values
}

// Summary describes a search's parameters in a line.
func (p savedSearchesPage) Summary(v url.Values) string {
	if len(v) == 0 {
		return "all works"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(v)) {
		parts = append(parts, k+": "+strings.Join(v[k], ", "))
	}
	return strings.Join(parts, "; ")
}

// GET /account/searches
func (srv *Server) savedSearchesPage(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	return srv.renderSavedSearches(w, r, u, http.StatusOK, r.URL.Query().Get("done"), nil, savedSearchesPage{})
}

func (srv *Server) renderSavedSearches(w http.ResponseWriter, r *http.Request, u *archive.User, status int, msg string, errs []string, p savedSearchesPage) error {
	ss, err := srv.site.SavedSearches(r.Context(), u)
	if err != nil {
		return err
	}
	p.Searches, p.Max = ss, archive.MaxSavedSearches
	switch msg {
	case "saved":
		msg = srv.tr(r, "Search saved.")
	case "updated":
		msg = srv.tr(r, "Search updated.")
	case "deleted":
		msg = srv.tr(r, "Search deleted.")
	case "token":
		msg = srv.tr(r, "The search has a new feed link: the old one no longer works.")
	default:
		msg = ""
	}
	w.Header().Set("Cache-Control", "private, no-store")
	srv.render(w, r, status, "saved_searches", pageData{Title: "Saved searches", Message: msg, Errors: errs, P: p})
	return nil
}

// POST /account/searches (name and the listing's parameters): "Save this
// search" under a listing.
func (srv *Server) saveSearch(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	params := url.Values{}
	for k, vals := range r.PostForm {
		if site.IsSavedParam(k) {
			params[k] = vals
		}
	}
	name := r.PostForm.Get("name")
	in := site.SavedSearchInput{Name: &name, Params: params}
	if d := r.PostForm.Get("digest"); d != "" {
		in.Digest = &d
	}
	if r.PostForm.Get("default") == "true" {
		t := true
		in.Default = &t
	}
	if _, err := srv.site.SaveSearch(r.Context(), u, in); err != nil {
		return srv.searchRefused(w, r, u, err, savedSearchesPage{Name: name, Params: params})
	}
	http.Redirect(w, r, "/account/searches?done=saved", http.StatusSeeOther)
	return nil
}

// searchRefused shows the searches page again with the message of a
// refused change (a 4xx); other errors go to the error page.
func (srv *Server) searchRefused(w http.ResponseWriter, r *http.Request, u *archive.User, err error, p savedSearchesPage) error {
	status, _, msg := classifyPageErr(err)
	var ex *archive.Explained
	if status >= 500 && errors.As(err, &ex) && errors.Is(ex.Kind, archive.ErrConflict) {
		status, msg = http.StatusConflict, httperr.Classify(ex).Text(srv.readerOf(r).loc)
	}
	if status >= 500 {
		return err
	}
	return srv.renderSavedSearches(w, r, u, status, "", []string{sentence(msg)}, p)
}

// POST /account/searches/{id}/edit (name, digest, default): rename and settings.
func (srv *Server) updateSavedSearch(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name, digest := r.PostFormValue("name"), r.PostFormValue("digest")
	def := r.PostFormValue("default") == "true"
	in := site.SavedSearchInput{Name: &name, Default: &def}
	if digest != "" {
		in.Digest = &digest
	}
	if _, err := srv.site.UpdateSavedSearch(r.Context(), u, id, in); err != nil {
		if errors.Is(err, archive.ErrNotFound) {
			return err
		}
		return srv.searchRefused(w, r, u, err, savedSearchesPage{})
	}
	http.Redirect(w, r, "/account/searches?done=updated", http.StatusSeeOther)
	return nil
}

// POST /account/searches/{id}/delete
func (srv *Server) deleteSavedSearch(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := srv.site.DeleteSavedSearch(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/searches?done=deleted", http.StatusSeeOther)
	return nil
}

// POST /account/searches/{id}/token: a new feed link, the old one revoked.
func (srv *Server) newSavedSearchToken(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := srv.site.NewSavedSearchToken(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/searches?done=token#search-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// GET /searches/{token}/feed.atom: a saved search's private feed, the
// newest posted works first, as its owner sees listings.
func (srv *Server) savedSearchFeed(w http.ResponseWriter, r *http.Request) error {
	ss, l, err := srv.site.SearchFeed(r.Context(), r.PathValue("token"), feedEntries)
	if err != nil {
		return err
	}
	f := formats.Feed{
		ID:      formats.NameUUID(srv.site.Name + "/saved_searches/" + strconv.FormatInt(ss.ID, 10) + "/feed"),
		Title:   srv.site.Name + ": " + ss.Name,
		SelfURL: ss.FeedURL,
		AltURL:  srv.absURL(ss.Path),
	}
	for _, wk := range l.Works {
		f.Entries = append(f.Entries, srv.workEntry(wk))
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	if err := srv.writeFeed(w, r, f); err != nil {
		return err
	}
	return nil
}

// defaultSearch sends a reader who opens /works bare to their default
// saved search; /works?default=off is every work.
func (srv *Server) defaultSearch(w http.ResponseWriter, r *http.Request) bool {
	u := currentUser(r)
	if u == nil || r.URL.RawQuery != "" || r.URL.Path != "/works" {
		return false
	}
	ss, err := srv.site.DefaultSearch(r.Context(), u)
	if err != nil || ss == nil {
		return false
	}
	http.Redirect(w, r, withParam(ss.Path, "default", strconv.FormatInt(ss.ID, 10)), http.StatusSeeOther)
	return true
}
