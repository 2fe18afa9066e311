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
func (srv *Server) newSeriesBookmarkForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := srv.site.Series(r.Context(), u, id)
	if err != nil {
		return err
	}
	if b, err := srv.site.SeriesBookmarkOf(r.Context(), u, id); err == nil {
		http.Redirect(w, r, "/bookmarks/"+strconv.FormatInt(b.ID, 10)+"/edit", http.StatusSeeOther)
		return nil
	} else if !errors.Is(err, archive.ErrNotFound) {
		return err
	}
	srv.render(w, r, http.StatusOK, "bookmark_form", pageData{Title: srv.tr(r, "Bookmark {0}", v.Title),
		P: &bookmarkForm{Series: v, Action: "/series/" + strconv.FormatInt(id, 10) + "/bookmarks", Values: formValues{}}})
	return nil
}

// POST /series/{id}/bookmarks
func (srv *Server) createSeriesBookmark(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := srv.site.Series(r.Context(), u, id)
	if err != nil {
		return err
	}
	form := &bookmarkForm{Series: v, Action: r.URL.Path, Values: formValues{}}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "bookmark_form", "Bookmark "+v.Title, form)
	}
	in, vals := inputOf(r)
	in.SeriesID = id
	form.Values = vals
	b, err := srv.site.CreateBookmark(r.Context(), u, in)
	if errors.Is(err, archive.ErrConflict) {
		srv.render(w, r, http.StatusConflict, "bookmark_form", pageData{Title: srv.tr(r, "Bookmark {0}", v.Title),
			Errors: []string{"You have already bookmarked this series. Edit that bookmark instead."}, P: form})
		return nil
	}
	if err != nil {
		return srv.invalid(w, r, err, "bookmark_form", "Bookmark "+v.Title, form)
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/bookmarks#bookmark_"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
	return nil
}
