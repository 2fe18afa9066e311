package web

import (
	"net/http"
	"strconv"

	"quire/internal/archive"
)

// creatorInvitationsPage lists the invitations to the user's pseuds.
func (srv *Server) creatorInvitationsPage(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	invs, err := srv.site.CreatorInvitations(r.Context(), u)
	if err != nil {
		return err
	}
	flash := ""
	if r.URL.Query().Get("done") == "declined" {
		flash = msg("You declined the invitation.")
	}
	srv.render(w, r, http.StatusOK, "creator_invitations", pageData{Title: "Co-creator invitations", Message: flash, P: invs})
	return nil
}

// answerCreatorInvitation accepts or declines one invitation.
func (srv *Server) answerCreatorInvitation(accept bool) func(http.ResponseWriter, *http.Request, *archive.User) error {
	return func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var inv *archive.CreatorInvitation
		if accept {
			inv, err = srv.site.AcceptCreatorInvitation(r.Context(), u, id)
		} else {
			inv, err = srv.site.DeclineCreatorInvitation(r.Context(), u, id)
		}
		if err != nil {
			return err
		}
		if accept {
			http.Redirect(w, r, "/works/"+strconv.FormatInt(inv.WorkID, 10), http.StatusSeeOther)
			return nil
		}
		http.Redirect(w, r, "/account/creator_invitations?done=declined", http.StatusSeeOther)
		return nil
	}
}

// leaveWork takes the user off a co-created work's byline.
func (srv *Server) leaveWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := srv.site.LeaveWork(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+u.Name+"/works", http.StatusSeeOther)
	return nil
}
