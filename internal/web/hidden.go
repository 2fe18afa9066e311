package web

import (
	"fmt"
	"net/http"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// POST /account/hidden (work_id): "Hide this work" on blurbs and the work page.
func (srv *Server) hideWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := strconv.ParseInt(r.PostFormValue("work_id"), 10, 64)
	if err != nil || id <= 0 {
		return archive.Invalid("work_id", "must name a work")
	}
	if err := srv.site.HideForReader(r.Context(), u, id); err != nil {
		return err
	}
	// Back to where the button was, unless that is the work itself: its
	// page says it is hidden, with the undo.
	http.Redirect(w, r, withParam(localPath(r.PostFormValue("return_to"), "/account/hidden"), "hidden", fmt.Sprint(id)), http.StatusSeeOther)
	return nil
}

// POST /account/hidden/{id}/delete: the undo, on /account/hidden and the work page.
func (srv *Server) unhideWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := srv.site.UnhideForReader(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, localPath(r.PostFormValue("return_to"), "/account/hidden"), http.StatusSeeOther)
	return nil
}

type hiddenPage struct {
	Works []site.HiddenWork
}

// GET /account/hidden: the works the reader hid, each with its undo.
func (srv *Server) hiddenWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	hs, err := srv.site.HiddenWorks(r.Context(), u)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	srv.render(w, r, http.StatusOK, "hidden_works", pageData{Title: "Hidden works", P: hiddenPage{Works: hs}})
	return nil
}
