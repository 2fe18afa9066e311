package api

import (
	"fmt"
	"net/http"

	"quire/internal/archive"
	"quire/internal/site"
)

// requireRole refuses a caller without the role: 401 without a token, 403
// for others.
func requireRole(u *archive.User, role string) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !u.Has(role) {
		return fmt.Errorf("this needs the %s role: %w", role, archive.ErrForbidden)
	}
	return nil
}

// POST /api/v1/admin/invitations {"count": N} (from the queue's front) or
// {"email": "…"} → {"sent": [addresses]}
func (a *server) sendInvitations(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireRole(u, archive.RoleAdmin); err != nil {
		return err
	}
	var in struct {
		Count *int    `json:"count"`
		Email *string `json:"email"`
	}
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	sent := []string{}
	switch {
	case in.Email != nil && in.Count != nil:
		return archive.Invalid("", "send either count or email, not both")
	case in.Email != nil:
		if err := a.site.InviteAddress(r.Context(), u, *in.Email); err != nil {
			return err
		}
		sent = append(sent, *in.Email)
	case in.Count != nil:
		got, err := a.site.InviteFromQueue(r.Context(), u, *in.Count)
		if err != nil {
			return err
		}
		sent = append(sent, got...)
	default:
		return archive.Invalid("", "send {\"count\": N} to invite the queue's first N addresses, or {\"email\": address}")
	}
	writeJSON(w, http.StatusCreated, map[string]any{"sent": sent})
	return nil
}

// GET /api/v1/admin/review → {"works": [{"id","title"}]} (moderators)
func (a *server) reviewQueue(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireRole(u, archive.RoleModerator); err != nil {
		return err
	}
	page, err := site.PageParam("page", r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	p, err := a.site.ReviewQueue(r.Context(), u, page)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, w := range p.Works {
		out = append(out, map[string]any{"id": w.ID, "title": w.Title, "created_at": timestamp(w.CreatedAt)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"works": out, "total": p.Total, "page": p.Page, "per_page": p.PerPage})
	return nil
}

// POST /api/v1/admin/review/{id}/approve (moderators)
func (a *server) approveWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireRole(u, archive.RoleModerator); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := a.readOptionalJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.site.ApproveWork(r.Context(), u, id, in.Note); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "approved": true})
	return nil
}

// POST /api/v1/admin/review/{id}/reject {"reason"} (moderators): the work
// stays hidden, with the reason, and its creators are told.
func (a *server) rejectWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireRole(u, archive.RoleModerator); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reason, err := a.readReason(w, r)
	if err != nil {
		return err
	}
	if err := a.site.RejectWork(r.Context(), u, id, reason); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "rejected": true})
	return nil
}

// settingsJSON is the site settings' API shape.
type settingsJSON struct {
	Signup           string   `json:"signup"`
	VerifyEmail      bool     `json:"verify_email"`
	NewAccountHours  int      `json:"new_account_hours"`
	NewAccountWorks  int      `json:"new_account_works"`
	ReviewFirstWorks int      `json:"review_first_works"`
	RefuseRatings    []string `json:"refuse_ratings"`
	RefusalMessage   string   `json:"refusal_message"`
}

func settingsOut(p archive.Policy) settingsJSON {
	out := settingsJSON{Signup: p.Signup, VerifyEmail: p.VerifyEmail, NewAccountHours: p.NewAccountHours, NewAccountWorks: p.NewAccountWorks,
		ReviewFirstWorks: p.ReviewFirstWorks, RefuseRatings: p.RefuseRatings, RefusalMessage: p.RefusalMessage}
	if out.RefuseRatings == nil {
		out.RefuseRatings = []string{}
	}
	return out
}

// GET /api/v1/admin/settings (admins)
func (a *server) getSettings(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireRole(u, archive.RoleAdmin); err != nil {
		return err
	}
	p, err := a.site.Policy(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsOut(p))
	return nil
}

// PATCH /api/v1/admin/settings: the fields given change, the others stay
// (admins).
func (a *server) patchSettings(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireRole(u, archive.RoleAdmin); err != nil {
		return err
	}
	p, err := a.site.Policy(r.Context())
	if err != nil {
		return err
	}
	in := settingsOut(p)
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	p = archive.Policy{Signup: in.Signup, VerifyEmail: in.VerifyEmail, NewAccountHours: in.NewAccountHours, NewAccountWorks: in.NewAccountWorks,
		ReviewFirstWorks: in.ReviewFirstWorks, RefuseRatings: in.RefuseRatings, RefusalMessage: in.RefusalMessage}
	if err := a.site.SetPolicy(r.Context(), u, p); err != nil {
		return err
	}
	if p, err = a.site.Policy(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsOut(p))
	return nil
}

type invitationJSON struct {
	Email  string  `json:"email"`
	SentAt *string `json:"sent_at"`
	UsedBy string  `json:"used_by,omitempty"`
}

// GET /api/v1/me/invitations → {"unsent": N, "invitations": [...]}
func (a *server) myInvitations(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	_, invs, unsent, err := a.site.UserInvitations(r.Context(), u, u.Name)
	if err != nil {
		return err
	}
	out := []invitationJSON{}
	for _, i := range invs {
		out = append(out, invitationJSON{Email: i.Email, SentAt: timestamp(i.SentAt), UsedBy: i.UsedBy})
	}
	writeJSON(w, http.StatusOK, map[string]any{"unsent": unsent, "invitations": out})
	return nil
}

// POST /api/v1/me/invitations {"email"}: sends one of the caller's
// invitations.
func (a *server) sendMyInvitation(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var in struct {
		Email string `json:"email"`
	}
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.site.SendUserInvitation(r.Context(), u, in.Email); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"sent": []string{in.Email}})
	return nil
}

// POST /api/v1/admin/users/{name}/invitations {"count"}: gives the user
// invitations to hand on (admins).
func (a *server) giveInvitations(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireRole(u, archive.RoleAdmin); err != nil {
		return err
	}
	var in struct {
		Count int `json:"count"`
	}
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.site.GiveInvitations(r.Context(), u, r.PathValue("name"), in.Count); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"user": r.PathValue("name"), "given": in.Count})
	return nil
}
