package site

import (
	"context"

	"quire/internal/archive"
	"quire/internal/formats/importer"
	"quire/internal/store"
)

// ImportFile imports one file (AO3 HTML or EPUB, EPUB, HTML, Markdown or
// plain text) as u's work, in one transaction, and puts what it made into
// the listing index as PostWork does. Imported works are old works: their
// creators' subscribers are not notified.
func (s *Site) ImportFile(ctx context.Context, u *archive.User, name string, data []byte, opt importer.FileOptions) (*importer.Report, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if opt.Now.IsZero() {
		opt.Now = s.Now()
	}
	opt.Check = func(nw *store.NewWork) error { return s.checkNewWork(ctx, u, nw) }
	rep, err := importer.ImportFile(ctx, s.store, u, name, data, opt)
	if err != nil || rep.DryRun {
		return rep, err
	}
	for _, m := range rep.Works {
		if err := s.afterTagWrite(ctx, m.ID); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
