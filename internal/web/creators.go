package web

import (
	"net/http"
	"strconv"

	"quire/internal/store"
)

// creatorInvitationsPage lists the invitations to the user's pseuds.
func (srv *Server) creatorInvitationsPage(w http.ResponseWriter, r *http.Request) {
	u := srv.requireUser(w, r)
	if u == nil {
		return
	}
	invs, err := srv.site.CreatorInvitations(r.Context(), u)
	if err != nil {
		srv.fail(w, r, err)
		return
	}
	msg := ""
	switch r.URL.Query().Get("done") {
	case "accepted":
		msg = "You are now a co-creator of the work."
	case "declined":
		msg = "You declined the invitation."
	}
	srv.render(w, r, http.StatusOK, "creator_invitations", pageData{Title: "Co-creator invitations", Message: msg, P: invs})
}

// answerCreatorInvitation accepts or declines one invitation.
func (srv *Server) answerCreatorInvitation(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := srv.requireUser(w, r)
		if u == nil {
			return
		}
		id, err := pathID(r, "id")
		if err != nil {
			srv.fail(w, r, err)
			return
		}
		var inv *store.CreatorInvitation
		if accept {
			inv, err = srv.site.AcceptCreatorInvitation(r.Context(), u, id)
		} else {
			inv, err = srv.site.DeclineCreatorInvitation(r.Context(), u, id)
		}
		if err != nil {
			srv.fail(w, r, err)
			return
		}
		if accept {
			http.Redirect(w, r, "/works/"+strconv.FormatInt(inv.WorkID, 10), http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/account/creator_invitations?done=declined", http.StatusSeeOther)
	}
}

// leaveWork takes the user off a co-created work's byline.
func (srv *Server) leaveWork(w http.ResponseWriter, r *http.Request) {
	u := srv.requireUser(w, r)
	if u == nil {
		return
	}
	id, err := pathID(r, "id")
	if err == nil {
		err = srv.site.LeaveWork(r.Context(), u, id)
	}
	if err != nil {
		srv.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/users/"+u.Name+"/works", http.StatusSeeOther)
}
