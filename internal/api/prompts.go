package api

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/site"
)

// Prompt memes: GET|POST /api/v1/collections/{name}/prompts (GET takes
// tag, status=claimed|unclaimed|filled|unfilled, sort=newest|oldest,
// page), GET|PATCH|DELETE …/prompts/{id}, POST /api/v1/prompts/{id}/claims,
// DELETE /api/v1/claims/{id}, GET /api/v1/me/claims. A work fills claims
// by naming them: "claims": [ids] on POST and PATCH /api/v1/works.

func (a *server) promptRoutes() []route {
	base := "/api/v1/collections/{name}/prompts"
	return []route{
		{base, map[string]handlerFunc{"GET": a.listPrompts, "POST": a.postPrompt}},
		{base + "/{id}", map[string]handlerFunc{"GET": a.getPrompt, "PATCH": a.patchPrompt, "DELETE": a.deletePrompt}},
		{"/api/v1/prompts/{id}/claims", map[string]handlerFunc{"POST": a.claimPrompt}},
		{"/api/v1/claims/{id}", map[string]handlerFunc{"DELETE": a.dropClaim}},
		{"/api/v1/me/claims", map[string]handlerFunc{"GET": a.myClaims}},
	}
}

type fillJSON struct {
	WorkID   int64    `json:"work_id"`
	Title    string   `json:"title"`
	Creators []string `json:"creators"`
}

type claimJSON struct {
	ID        int64     `json:"id"`
	PromptID  int64     `json:"prompt_id"`
	User      *string   `json:"user"` // null: anonymous to the reader
	CreatedAt *string   `json:"created_at"`
	FilledAt  *string   `json:"filled_at"`
	Fill      *fillJSON `json:"fill"`
}

type memePromptJSON struct {
	*promptJSON
	Collection string      `json:"collection"`
	Text       string      `json:"text"`
	TextSource string      `json:"text_source,omitempty"` // the poster's own, for editing
	User       *string     `json:"user"`                  // null: anonymous to the reader
	Anonymous  bool        `json:"anonymous"`
	CreatedAt  *string     `json:"created_at"`
	UpdatedAt  *string     `json:"updated_at"`
	Claims     []claimJSON `json:"claims"`
	Fills      []fillJSON  `json:"fills"`
	MyClaim    *int64      `json:"my_claim"`
}

func fillOut(w *archive.Work) *fillJSON {
	if w == nil {
		return nil
	}
	f := &fillJSON{WorkID: w.ID, Title: w.Title, Creators: []string{}}
	for _, c := range w.Creators {
		f.Creators = append(f.Creators, c.Pseud)
	}
	return f
}

func claimOut(c *site.ClaimView) claimJSON {
	j := claimJSON{ID: c.ID, PromptID: c.PromptID, CreatedAt: timestamp(c.CreatedAt), FilledAt: timestamp(c.FilledAt), Fill: fillOut(c.Fill)}
	if c.Claimer != site.AnonymousCreator {
		name := c.Claimer
		j.User = &name
	}
	return j
}

func memePromptOut(v *site.PromptView) memePromptJSON {
	j := memePromptJSON{promptJSON: promptOut(v.Prompt), Collection: v.Collection.Name, Anonymous: v.Anonymous,
		Text:      v.Details.HTML,
		CreatedAt: timestamp(v.CreatedAt), UpdatedAt: timestamp(v.UpdatedAt), Claims: []claimJSON{}, Fills: []fillJSON{}}
	if v.Mine {
		j.TextSource = v.Details.Source
	}
	if v.Poster != site.AnonymousCreator {
		name := v.Poster
		j.User = &name
	}
	for i := range v.Claims {
		j.Claims = append(j.Claims, claimOut(&v.Claims[i]))
	}
	for i := range v.Fills {
		j.Fills = append(j.Fills, *fillOut(v.Fills[i].Fill))
	}
	if v.MyClaim != 0 {
		id := v.MyClaim
		j.MyClaim = &id
	}
	return j
}

// GET …/prompts
func (a *server) listPrompts(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	pg, err := a.site.Prompts(r.Context(), u, r.PathValue("name"), site.PromptQuery{Tag: q.Get("tag"), Status: q.Get("status"), Sort: q.Get("sort"), Page: page})
	if err != nil {
		return err
	}
	out := make([]memePromptJSON, 0, len(pg.Prompts))
	for _, v := range pg.Prompts {
		out = append(out, memePromptOut(v))
	}
	writeJSON(w, http.StatusOK, map[string]any{"prompts": out, "total": pg.Total, "page": pg.Page, "per_page": site.PromptsPerPage,
		"open": pg.Open})
	return nil
}

// POST …/prompts
func (a *server) postPrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var in archive.MemePromptInput
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	v, err := a.site.PostPrompt(r.Context(), u, r.PathValue("name"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, memePromptOut(v))
	return nil
}

func (a *server) getPrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := a.site.Prompt(r.Context(), u, r.PathValue("name"), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, memePromptOut(v))
	return nil
}

// PATCH …/prompts/{id}: the whole prompt again (its poster, while open).
func (a *server) patchPrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in archive.MemePromptInput
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	v, err := a.site.EditPrompt(r.Context(), u, r.PathValue("name"), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, memePromptOut(v))
	return nil
}

func (a *server) deletePrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.DeletePrompt(r.Context(), u, r.PathValue("name"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// POST /api/v1/prompts/{id}/claims → 201 {"id", …}
func (a *server) claimPrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.site.ClaimPrompt(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, claimOut(&site.ClaimView{Claim: *c, Claimer: c.UserName, Mine: true}))
	return nil
}

func (a *server) dropClaim(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.site.DropClaim(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// GET /api/v1/me/claims: one's claims with their prompts.
func (a *server) myClaims(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	cs, err := a.site.UserClaims(r.Context(), u)
	if err != nil {
		return err
	}
	type mine struct {
		claimJSON
		Prompt memePromptJSON `json:"prompt"`
	}
	out := make([]mine, 0, len(cs))
	for i := range cs {
		out = append(out, mine{claimJSON: claimOut(&cs[i].ClaimView), Prompt: memePromptOut(cs[i].Prompt)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"claims": out})
	return nil
}
