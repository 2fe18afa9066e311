package importer

import (
	"errors"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText reads a text or Markdown file as old archives kept them: UTF-8
// when it is valid UTF-8, else Windows-1252 (the superset of Latin-1 that
// mailing lists and Windows editors wrote, with its curly quotes and
// dashes). A file with NUL bytes or many control characters is binary,
// not a story, and is refused.
func decodeText(data []byte) (string, error) {
	control := 0
	for _, b := range data {
		switch {
		case b == 0:
			return "", errors.New("the file holds binary data (NUL bytes), not text")
		case b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f', b == 0x7f:
			control++
		}
	}
	if control > len(data)/100+2 {
		return "", errors.New("the file holds binary data (control characters), not text")
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", errors.New("the file is neither UTF-8 nor Windows-1252 text")
	}
	return string(out), nil
}
