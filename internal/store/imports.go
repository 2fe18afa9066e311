package store

import "context"

// Imports stores works an importer made from one input file.
type Imports interface {
	// ImportWorks inserts the works, their chapters (with the dates they
	// carry) and their series places in one transaction: all land or none
	// do. A series is found by title among the series of the byline's
	// accounts, or created credited to the byline. With dryRun every write
	// is made and then rolled back, so a dry run meets the same database
	// rules as the real import.
	ImportWorks(ctx context.Context, ws []ImportedWork, dryRun bool) error
}

// ImportedWork is a prepared work with the series it says it belongs to.
type ImportedWork struct {
	NewWork
	Series []ImportedSeries
}

// ImportedSeries is a series by title and the work's part number in it.
type ImportedSeries struct {
	Title    string
	Position int // 1-based; 0 appends
}
