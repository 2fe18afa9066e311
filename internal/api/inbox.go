package api

import (
	"net/http"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

type inboxEntryJSON struct {
	ID              int64   `json:"id"`
	Kind            string  `json:"kind"`
	Read            bool    `json:"read"`
	WorkID          int64   `json:"work_id,omitempty"`
	WorkTitle       string  `json:"work_title,omitempty"`
	ChapterID       int64   `json:"chapter_id,omitempty"`
	ChapterPosition int     `json:"chapter_position,omitempty"`
	ChapterTitle    string  `json:"chapter_title,omitempty"`
	CommentID       int64   `json:"comment_id,omitempty"`
	Comment         string  `json:"comment,omitempty"`
	Actor           string  `json:"actor"`
	URL             string  `json:"url,omitempty"`
	Gone            bool    `json:"gone,omitempty"`
	CreatedAt       *string `json:"created_at"`
}

// GET /api/v1/me/inbox?page&per_page&unread=true: newest first, with the
// unread count.
func (a *server) inbox(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	perPage, err := site.PageParam("per_page", q.Get("per_page"))
	if err != nil {
		return err
	}
	unread := false
	switch strings.ToLower(q.Get("unread")) {
	case "", "false", "0":
	case "true", "1":
		unread = true
	default:
		return archive.Invalid("unread", "must be true or false")
	}
	v, err := a.site.Inbox(r.Context(), u, unread, page, perPage)
	if err != nil {
		return err
	}
	out := make([]inboxEntryJSON, 0, len(v.Items))
	for _, it := range v.Items {
		e := inboxEntryJSON{ID: it.ID, Kind: it.Kind, Read: it.Read, WorkID: it.WorkID, WorkTitle: it.WorkTitle,
			ChapterID: it.ChapterID, ChapterPosition: it.ChapterPosition, ChapterTitle: it.ChapterTitle,
			CommentID: it.CommentID, Comment: it.CommentHTML, Actor: it.Actor, Gone: it.Gone, CreatedAt: timestamp(it.CreatedAt)}
		if it.URL != "" {
			e.URL = a.site.BaseURL + it.URL
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": v.Total, "unread": v.Unread, "page": v.Page, "per_page": v.PerPage, "entries": out})
	return nil
}

// PATCH /api/v1/me/inbox {"ids": [...], "read": true} or {"all": true}:
// marks entries read (or unread with "read": false); answers the unread count.
func (a *server) markInbox(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var in struct {
		IDs  []int64 `json:"ids"`
		All  bool    `json:"all"`
		Read *bool   `json:"read"`
	}
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	read := in.Read == nil || *in.Read
	changed, err := a.site.MarkInboxRead(r.Context(), u, in.IDs, in.All, read)
	if err != nil {
		return err
	}
	unread, err := a.site.UnreadCount(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"changed": changed, "unread": unread})
	return nil
}

// PATCH /api/v1/me/inbox/{id} {"read": bool}
func (a *server) patchInboxEntry(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Read *bool `json:"read"`
	}
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Read == nil {
		return archive.Invalid("read", "is required (true or false)")
	}
	if _, err := a.site.MarkInboxRead(r.Context(), u, []int64{id}, false, *in.Read); err != nil {
		return err
	}
	unread, err := a.site.UnreadCount(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "read": *in.Read, "unread": unread})
	return nil
}

// DELETE /api/v1/me/inbox/{id} — 204; 404 when it is not the caller's.
func (a *server) deleteInboxEntry(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.site.DeleteInboxEntries(r.Context(), u, []int64{id}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
