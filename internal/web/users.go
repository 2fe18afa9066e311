package web

import (
	"net/http"

	"quire/internal/archive"
)

func (srv *Server) userDrafts(w http.ResponseWriter, r *http.Request, me *archive.User) error {
	u, err := srv.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	if u.ID != me.ID && !me.IsAdmin() {
		return archive.ErrNotFound
	}
	ws, err := srv.site.Drafts(r.Context(), u)
	if err != nil {
		return err
	}
	held, err := srv.site.HeldWorks(r.Context(), u)
	if err != nil {
		return err
	}
	ws = append(ws, held...)
	srv.render(w, r, http.StatusOK, "drafts", pageData{Title: "Drafts", P: ws})
	return nil
}
