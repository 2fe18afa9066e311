package web

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
)

// userPage is a creator's profile with their recent works.
type userPage struct {
	Name   string
	Pseuds []archive.Pseud
	Works  *site.Listing
	Self   bool
}

func (srv *Server) showUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := srv.site.User(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	ps, err := srv.site.Pseuds(ctx, u.ID)
	if err != nil {
		return err
	}
	res, err := srv.site.List(ctx, currentUser(r), listing.Query{CreatorUserID: u.ID, PerPage: 5})
	if err != nil {
		return err
	}
	me := currentUser(r)
	srv.render(w, r, http.StatusOK, "user", pageData{Title: u.Name, P: &userPage{Name: u.Name, Pseuds: ps, Works: res, Self: me != nil && me.ID == u.ID}})
	return nil
}

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
