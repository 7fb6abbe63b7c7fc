package main

import (
	"fmt"
	"go/constant"
	"go/types"
	"strings"
	"unicode"
)

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// goCamelCase is the bridge's default Go name of a proto field
// (bridge/convert/names.cc GoCamelCase, protoc-gen-go's rule): drop an
// underscore followed by a lower-case letter and capitalise that letter,
// capitalise the first letter, turn a leading underscore into 'X', keep
// digits.
func goCamelCase(s string) string {
	var out []byte
	i := 0
	if len(s) > 0 && s[0] == '_' {
		out = append(out, 'X')
		i = 1
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c == '_' && i+1 < len(s) && isLower(s[i+1]) {
			continue
		}
		if isDigit(c) {
			out = append(out, c)
			continue
		}
		if isLower(c) {
			c = c - 'a' + 'A'
		}
		out = append(out, c)
		for i+1 < len(s) && isLower(s[i+1]) {
			i++
			out = append(out, s[i])
		}
	}
	return string(out)
}

// snakeCase spells a Go identifier in snake_case: "UserID" -> "user_id",
// "HTTPServer" -> "http_server", "URLs" -> "urls", "Fl32" -> "fl32".
func snakeCase(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUpper(c) {
			if i > 0 && s[i-1] != '_' {
				prev := s[i-1]
				nextLower := i+1 < len(s) && isLower(s[i+1])
				// "URLs": a plural s after an acronym stays in the word.
				pluralS := nextLower && s[i+1] == 's' && (i+2 == len(s) || !isLower(s[i+2]))
				if isLower(prev) || isDigit(prev) || (isUpper(prev) && nextLower && !pluralS) {
					b.WriteByte('_')
				}
			}
			b.WriteByte(c - 'A' + 'a')
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isProtoIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLower(c) || isUpper(c) || c == '_' || (i > 0 && isDigit(c))) {
			return false
		}
	}
	return true
}

// protoFieldName is the proto name of a Go field: snake_case, or field_N
// for a name protobuf cannot spell (non-ASCII letters).
func protoFieldName(goName string, n int) string {
	s := snakeCase(goName)
	if !isProtoIdent(s) {
		return fmt.Sprintf("field_%d", n)
	}
	return s
}

// jsonName is protoc's JSON name of a field (it refuses two fields with the
// same one).
func jsonName(s string) string {
	var b strings.Builder
	up := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			up = true
			continue
		}
		if up && isLower(c) {
			c = c - 'a' + 'A'
		}
		up = false
		b.WriteByte(c)
	}
	return b.String()
}

func uniqueFieldName(name string, used, usedJSON map[string]bool) string {
	cand := name
	for n := 2; used[cand] || usedJSON[strings.ToLower(jsonName(cand))]; n++ {
		cand = fmt.Sprintf("%s_%d", name, n)
	}
	used[cand] = true
	usedJSON[strings.ToLower(jsonName(cand))] = true
	return cand
}

// exportName is a CamelCase proto type name for a Go name: first letter
// upper-cased; letters protobuf cannot spell become 'X'.
func exportName(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || r == '_' || (i > 0 && unicode.IsDigit(r))):
			if i == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		case r < 0x80 && unicode.IsDigit(r):
			b.WriteString("T")
			b.WriteRune(r)
		default:
			b.WriteByte('X')
		}
	}
	if b.Len() == 0 {
		return "X"
	}
	return b.String()
}

// upperSnake is an enum value spelling: "RoleAdmin" -> "ROLE_ADMIN".
func upperSnake(s string) string {
	return strings.ToUpper(snakeCase(s))
}

func constantInt64(c *types.Const) (int64, bool) {
	v := constant.ToInt(c.Val())
	if v.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(v)
}
