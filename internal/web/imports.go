package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"quire/internal/archive"
	"quire/internal/formats/importer"
	"quire/internal/i18n"
)

// importForm is the upload page's choices.
type importForm struct {
	Formats  []string
	Format   string
	Fandom   string
	DryRun   bool
	MaxFile  int // MiB
	MaxTotal int64
}

// importRow is one uploaded file's outcome.
type importRow struct {
	Name    string
	OK      bool
	WorkID  int64
	Title   string
	Message string
	Remarks []string
}

type importReport struct {
	DryRun bool
	Rows   []importRow
	Landed int
}

func (srv *Server) newImportForm(r *http.Request) *importForm {
	return &importForm{Formats: append([]string{"auto"}, importer.Formats...), Format: "auto",
		MaxFile: importer.MaxFileBytes >> 20, MaxTotal: srv.opt.MaxBody >> 20}
}

func (srv *Server) importPage(w http.ResponseWriter, r *http.Request, _ *archive.User) error {
	srv.render(w, r, http.StatusOK, "import_form", pageData{Title: "Import works", P: srv.newImportForm(r)})
	return nil
}

// importWorks takes uploaded files, each imported as the logged-in
// creator's work in its own transaction, and shows a report per file.
func (srv *Server) importWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	f := srv.newImportForm(r)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			srv.render(w, r, http.StatusRequestEntityTooLarge, "import_form", pageData{Title: "Import works", P: f,
				Errors: []string{"The files together are larger than this archive accepts in one upload (" + itoaMiB(srv.opt.MaxBody) + "). Upload fewer at a time."}})
			return nil
		}
		srv.render(w, r, http.StatusBadRequest, "import_form", pageData{Title: "Import works", P: f,
			Errors: []string{"Choose the files to import (the form must be sent as a file upload)."}})
		return nil
	}
	defer r.MultipartForm.RemoveAll()
	f.Format = r.FormValue("format")
	f.Fandom = strings.TrimSpace(r.FormValue("fandom"))
	f.DryRun = r.FormValue("dry_run") != ""
	valid := false
	for _, x := range f.Formats {
		valid = valid || x == f.Format
	}
	if !valid {
		srv.render(w, r, http.StatusUnprocessableEntity, "import_form", pageData{Title: "Import works", P: f,
			Errors: []string{"Format " + f.Format + " is not one this page imports; choose one from the list."}})
		return nil
	}
	files := r.MultipartForm.File["files"]
	if len(files) == 0 {
		f.Format = "auto"
		srv.render(w, r, http.StatusUnprocessableEntity, "import_form", pageData{Title: "Import works", P: f,
			Errors: []string{"Choose at least one file to import."}})
		return nil
	}
	rep := importReport{DryRun: f.DryRun}
	for _, fh := range files {
		row := importRow{Name: fh.Filename}
		rep.Rows = append(rep.Rows, row)
		last := &rep.Rows[len(rep.Rows)-1]
		if fh.Size > importer.MaxFileBytes {
			last.Message = importer.ErrTooLarge.Error()
			continue
		}
		file, err := fh.Open()
		if err != nil {
			last.Message = "could not read the upload"
			continue
		}
		data, err := io.ReadAll(io.LimitReader(file, importer.MaxFileBytes+1))
		file.Close()
		if err != nil || len(data) > importer.MaxFileBytes {
			last.Message = "could not read the upload, or it is too large"
			continue
		}
		res, err := srv.site.ImportFile(r.Context(), u, fh.Filename, data,
			importer.FileOptions{Format: f.Format, DryRun: f.DryRun, Options: importer.Options{Fandom: f.Fandom}})
		if err != nil {
			last.Message = importError(srv.readerOf(r).loc, err)
			if !isUserError(err) {
				srv.log.Error("import", "file", fh.Filename, "err", err)
			}
			continue
		}
		m := res.Works[0]
		last.OK, last.WorkID, last.Title, last.Remarks = true, m.ID, m.Title, m.Remarks
		last.Message = res.String()
		rep.Landed++
	}
	status := http.StatusOK
	if rep.Landed == 0 {
		status = http.StatusUnprocessableEntity
	}
	srv.render(w, r, status, "import_report", pageData{Title: "Import report", P: rep})
	return nil
}

func itoaMiB(n int64) string {
	return formatNum(n>>20) + " MiB"
}

// isUserError tells the file's own faults from the archive's.
func isUserError(err error) bool {
	var ve *archive.ValidationError
	if errors.As(err, &ve) || errors.Is(err, importer.ErrTooLarge) {
		return true
	}
	return !strings.Contains(err.Error(), "insert") && !strings.Contains(err.Error(), "begin") && !strings.Contains(err.Error(), "commit")
}

func importError(l *i18n.Locale, err error) string {
	var ve *archive.ValidationError
	if errors.As(err, &ve) {
		return humanField(l, ve)
	}
	if !isUserError(err) {
		return "the archive could not store it; nothing was changed (try again later)"
	}
	return err.Error()
}
