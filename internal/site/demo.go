package site

import (
	"context"
	"fmt"
	"io"

	"quire/internal/archive"
	"quire/internal/demo"
	"quire/internal/store"
)

// demoTarget stores generated demo content through the same validation as
// posted works (archive.PrepareWork), batched for speed.
type demoTarget struct {
	st     store.Store
	s      *Site
	pseuds []int64 // default pseud per demo user index
}

func (t *demoTarget) CreateUser(ctx context.Context, name, email string) error {
	u := &archive.User{Name: name, Email: email}
	if err := t.st.CreateUser(ctx, u); err != nil {
		return err
	}
	ps, err := t.st.Pseuds(ctx, u.ID)
	if err != nil || len(ps) == 0 {
		return fmt.Errorf("default pseud of %s: %v", name, err)
	}
	t.pseuds = append(t.pseuds, ps[0].ID)
	return nil
}

func (t *demoTarget) Wrangle(ctx context.Context, tags []demo.TagWrangling) error {
	specs := make([]store.TagSpec, len(tags))
	for i, w := range tags {
		specs[i] = store.TagSpec{Type: w.Type, Name: w.Name, Canonical: w.Canonical, SynonymOf: w.SynonymOf, Meta: w.Meta, Parents: w.Parents}
	}
	return t.st.ImportTags(ctx, specs)
}

func (t *demoTarget) PostWorks(ctx context.Context, batch []demo.Work) error {
	now := t.s.Now()
	nws := make([]store.NewWork, 0, len(batch))
	for _, dw := range batch {
		w, chapters, err := archive.PrepareWork(dw.Input, now)
		if err != nil {
			return fmt.Errorf("demo work %q: %w", dw.Input.Title, err)
		}
		w.Hits, w.Kudos = dw.Hits, dw.Kudos
		if dw.UserIndex < 0 || dw.UserIndex >= len(t.pseuds) {
			return fmt.Errorf("demo work %q: no user %d", dw.Input.Title, dw.UserIndex)
		}
		nws = append(nws, store.NewWork{Work: w, Chapters: chapters, PseudIDs: []int64{t.pseuds[dw.UserIndex]}})
	}
	return t.st.CreateWorks(ctx, nws)
}

// FillDemo writes a synthetic archive into an empty store. It refuses an
// archive that already has works. The caller rebuilds the index afterwards.
func FillDemo(ctx context.Context, st store.Store, opts demo.Options, progress io.Writer) error {
	n, err := st.CountWorks(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the archive already has %d works; demo content goes only into an empty archive", n)
	}
	s := &Site{Now: New(nil, nil, nil, nil, "").Now}
	return demo.Generate(ctx, &demoTarget{st: st, s: s}, opts, progress)
}
