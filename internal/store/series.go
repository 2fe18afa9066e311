package store

import (
	"context"

	"quire/internal/archive"
)

// SeriesAndPseuds is what the archive persists of series and of the pseuds
// an account manages beyond its default one.
type SeriesAndPseuds interface {
	Series
	PseudAdmin
}

// Series holds series and their works.
type Series interface {
	// CreateSeries inserts the series credited to the pseuds and sets its
	// ID and times.
	CreateSeries(ctx context.Context, s *archive.Series, pseudIDs []int64) error
	// UpdateSeries saves title, summary, notes and complete.
	UpdateSeries(ctx context.Context, s *archive.Series) error
	DeleteSeries(ctx context.Context, id int64) error
	// SeriesByID loads a series with its creators and works.
	SeriesByID(ctx context.Context, id int64) (*archive.Series, error)
	// SetSeriesWork puts the work in the series at position (1-based; 0 or
	// past the end appends), moving it when it is already there.
	SetSeriesWork(ctx context.Context, seriesID, workID int64, position int) error
	// RemoveSeriesWork takes the work out of the series (ErrNotFound when
	// it is not in it).
	RemoveSeriesWork(ctx context.Context, seriesID, workID int64) error
	// SeriesOfWorks returns, per work id, the series it belongs to.
	SeriesOfWorks(ctx context.Context, workIDs []int64) (map[int64][]archive.SeriesRef, error)
	// SeriesIDsByUser lists the series an account is a creator of, newest first.
	SeriesIDsByUser(ctx context.Context, userID int64) ([]int64, error)
}

// PseudAdmin manages an account's extra pseuds and the bylines using them.
type PseudAdmin interface {
	// CreatePseud adds a (non-default) pseud; a taken name anywhere in the
	// archive is archive.ErrConflict.
	CreatePseud(ctx context.Context, userID int64, name string) (*archive.Pseud, error)
	// PseudByName finds a pseud by name (any account's).
	PseudByName(ctx context.Context, name string) (*archive.Pseud, error)
	// RenamePseud renames a pseud; it returns the works whose byline
	// shows it.
	RenamePseud(ctx context.Context, pseudID int64, name string) (changedWorks []int64, err error)
	// DeletePseud removes a non-default pseud, crediting its works and
	// series to its account's default pseud; it returns the works changed.
	DeletePseud(ctx context.Context, pseudID int64) (changedWorks []int64, err error)
	// WorkIDsByPseud lists the works whose byline names the pseud.
	WorkIDsByPseud(ctx context.Context, pseudID int64) ([]int64, error)
	// SetWorkCreators replaces a work's byline with the pseuds, in order.
	SetWorkCreators(ctx context.Context, workID int64, pseudIDs []int64) error
}
