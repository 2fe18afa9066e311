package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
)

// GET /series/{id}/bookmarks/new: the bookmark form for a series, or the
// reader's existing bookmark of it to edit.
func (srv *Server) newSeriesBookmarkForm(w http.ResponseWriter, r *http.Request) {
	u := srv.requireUser(w, r)
	if u == nil {
		return
	}
	id, ok := srv.seriesID(w, r)
	if !ok {
		return
	}
	v, err := srv.site.Series(r.Context(), u, id)
	if err != nil {
		srv.fail(w, r, err)
		return
	}
	if b, err := srv.site.SeriesBookmarkOf(r.Context(), u, id); err == nil {
		http.Redirect(w, r, "/bookmarks/"+strconv.FormatInt(b.ID, 10)+"/edit", http.StatusSeeOther)
		return
	} else if !errors.Is(err, archive.ErrNotFound) {
		srv.fail(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "bookmark_form", pageData{Title: "Bookmark " + v.Title,
		P: &bookmarkForm{Series: v, Action: "/series/" + strconv.FormatInt(id, 10) + "/bookmarks", Values: formValues{}}})
}

// POST /series/{id}/bookmarks
func (srv *Server) createSeriesBookmark(w http.ResponseWriter, r *http.Request) {
	u := srv.requireUser(w, r)
	if u == nil {
		return
	}
	id, ok := srv.seriesID(w, r)
	if !ok {
		return
	}
	v, err := srv.site.Series(r.Context(), u, id)
	if err != nil {
		srv.fail(w, r, err)
		return
	}
	form := &bookmarkForm{Series: v, Action: r.URL.Path, Values: formValues{}}
	if err := r.ParseForm(); err != nil {
		srv.invalid(w, r, err, "bookmark_form", "Bookmark "+v.Title, form)
		return
	}
	in, vals := inputOf(r)
	in.SeriesID = id
	form.Values = vals
	b, err := srv.site.CreateBookmark(r.Context(), u, in)
	if errors.Is(err, archive.ErrConflict) {
		srv.render(w, r, http.StatusConflict, "bookmark_form", pageData{Title: "Bookmark " + v.Title,
			Errors: []string{"You have already bookmarked this series. Edit that bookmark instead."}, P: form})
		return
	}
	if err != nil {
		srv.invalid(w, r, err, "bookmark_form", "Bookmark "+v.Title, form)
		return
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/bookmarks#bookmark_"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
}
