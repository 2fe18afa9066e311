package archive_test

import (
	"errors"
	"reflect"
	"testing"

	"quire/internal/archive"
)

// A validation message carries its catalog key and arguments, so a page
// can say it in the reader's language; the English text is unchanged.
func TestInvalidCarriesKeyAndArgs(t *testing.T) {
	err := archive.Invalid("title", "is %d characters long; the limit is %d", 300, 255)
	var ve *archive.ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	if ve.Message != "is 300 characters long; the limit is 255" || ve.Key != "is {0} characters long; the limit is {1}" ||
		!reflect.DeepEqual(ve.Args, []any{300, 255}) {
		t.Errorf("%+v", ve)
	}
	err = archive.Explain(archive.ErrConflict, "%q is already taken (%.1f%%)", "ana", 12.5)
	var ex *archive.Explained
	if !errors.As(err, &ex) || ex.Message != `"ana" is already taken (12.5%)` || ex.Key != "{0} is already taken ({1}%)" ||
		!reflect.DeepEqual(ex.Args, []any{`"ana"`, "12.5"}) {
		t.Errorf("%+v", ex)
	}
	if k := archive.MessageKey("can't be blank"); k != "can't be blank" {
		t.Error(k)
	}
}
