package api

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/site"
)

type creatorInvitationJSON struct {
	ID        int64  `json:"id"`
	WorkID    int64  `json:"work_id"`
	Title     string `json:"title"`
	From      string `json:"from"`
	Pseud     string `json:"pseud"`
	CreatedAt string `json:"created_at"`
	// Chapter is the position of the chapter invited to (absent: the work).
	Chapter int `json:"chapter,omitempty"`
}

func invitationOut(inv *archive.CreatorInvitation) creatorInvitationJSON {
	return creatorInvitationJSON{ID: inv.ID, WorkID: inv.WorkID, Title: inv.WorkTitle, From: inv.Inviter, Pseud: inv.Pseud,
		CreatedAt: *timestamp(inv.CreatedAt), Chapter: inv.ChapterPosition}
}

// GET /api/v1/me/creator_invitations
func (a *server) creatorInvitations(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	invs, err := a.site.CreatorInvitations(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]creatorInvitationJSON, 0, len(invs))
	for _, inv := range invs {
		out = append(out, invitationOut(inv))
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": out})
	return nil
}

// POST /api/v1/me/creator_invitations/{id}/accept
func (a *server) acceptCreatorInvitation(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	inv, err := a.site.AcceptCreatorInvitation(r.Context(), u, id)
	if err != nil {
		return err
	}
	work, err := a.site.Work(r.Context(), u, inv.WorkID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.work(u, work))
	return nil
}

// POST /api/v1/me/creator_invitations/{id}/decline
func (a *server) declineCreatorInvitation(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.site.DeclineCreatorInvitation(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// DELETE /api/v1/works/{id}/creators/me: the caller leaves the byline.
func (a *server) leaveWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.LeaveWork(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// POST /api/v1/me/orphans: {"work_ids": [...], "series_ids": [...], "all": bool, "keep_pseud": bool}
func (a *server) orphan(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b struct {
		WorkIDs   []int64 `json:"work_ids"`
		SeriesIDs []int64 `json:"series_ids"`
		All       bool    `json:"all"`
		KeepPseud bool    `json:"keep_pseud"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	changed, err := a.site.Orphan(r.Context(), u, site.OrphanRequest{WorkIDs: b.WorkIDs, SeriesIDs: b.SeriesIDs, All: b.All, KeepPseud: b.KeepPseud})
	if err != nil {
		return err
	}
	if changed == nil {
		changed = []int64{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"orphaned": changed})
	return nil
}

// PATCH /api/v1/me/works: one change to several of the caller's works, in
// one transaction.
func (a *server) editWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b struct {
		WorkIDs            []int64             `json:"work_ids"`
		Restricted         *bool               `json:"restricted"`
		CommentPermissions string              `json:"comment_permissions"`
		ModeratedComments  *bool               `json:"moderated_comments"`
		Language           string              `json:"language"`
		AddTags            map[string][]string `json:"add_tags"`
		RemoveTags         map[string][]string `json:"remove_tags"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	ch := site.WorksChange{WorkIDs: b.WorkIDs, Restricted: b.Restricted, CommentPermission: b.CommentPermissions,
		ModeratedComments: b.ModeratedComments, Language: b.Language,
		AddTags: map[archive.TagType][]string{}, RemoveTags: map[archive.TagType][]string{}}
	for t, l := range b.AddTags {
		ch.AddTags[archive.TagType(t)] = l
	}
	for t, l := range b.RemoveTags {
		ch.RemoveTags[archive.TagType(t)] = l
	}
	ws, err := a.site.EditWorks(r.Context(), u, ch)
	if err != nil {
		return err
	}
	out := make([]*workJSON, 0, len(ws))
	for _, work := range ws {
		out = append(out, a.work(u, work))
	}
	writeJSON(w, http.StatusOK, map[string]any{"works": out})
	return nil
}
