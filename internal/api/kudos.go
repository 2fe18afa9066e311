package api

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/site"
)

// guestCookie is the pages' random guest id; an API guest that sends it
// counts as that guest, one that doesn't is known by its address alone.
const guestCookie = "quire_guest"

// visitor is who calls: the token's user, or a guest by cookie and address.
func (a *server) visitor(r *http.Request, u *archive.User) site.Visitor {
	v := site.Visitor{User: u, Address: a.clientIP(r)}
	if c, err := r.Cookie(guestCookie); err == nil {
		v.Cookie = c.Value
	}
	return v
}

// withVisitor attaches the caller to the request, so reading a chapter
// counts one hit per visitor per day.
func (a *server) withVisitor(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
		return h(w, r.WithContext(site.WithVisitor(r.Context(), a.visitor(r, u))), u)
	}
}

type kudosJSON struct {
	WorkID int64    `json:"work_id"`
	Kudos  int64    `json:"kudos"`
	Users  []string `json:"users"`
	Guests int64    `json:"guests"`
}

func (a *server) kudosOut(r *http.Request, u *archive.User, id int64) (*kudosJSON, error) {
	g, err := a.site.KudosGivers(r.Context(), u, id)
	if err != nil {
		return nil, err
	}
	if g.Users == nil {
		g.Users = []string{}
	}
	return &kudosJSON{WorkID: id, Kudos: int64(len(g.Users)) + g.Guests, Users: g.Users, Guests: g.Guests}, nil
}

// GET /api/v1/works/{id}/kudos — who left kudos.
func (a *server) getKudos(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := a.kudosOut(r, u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// POST /api/v1/works/{id}/kudos — once per account or guest; a repeat is 409,
// kudos on one's own work or from a blocked user 403.
func (a *server) giveKudos(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.site.GiveKudos(r.Context(), a.visitor(r, u), id); err != nil {
		return err
	}
	out, err := a.kudosOut(r, u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}
