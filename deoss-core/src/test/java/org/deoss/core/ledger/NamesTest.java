package org.deoss.core.ledger;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "my-bucket",
        "my.bucket.2",
        "0ab",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "1.2.3"
      })
  void bucketName_valid(String name) {
    assertNull(Names.bucketNameProblem(name));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ab|shorter than 3",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|longer than 63",
        "My-bucket|'M' at position 0",
        "my_bucket|'_' at position 2",
        "-abc|start with a letter or digit",
        ".abc|start with a letter or digit",
        "abc-|end with a letter or digit",
        "abc.|end with a letter or digit",
        "ab..c|'..'",
        "192.168.1.1|IP address",
        "a b c|' ' at position 1"
      })
  void bucketName_invalid_namesTheRule(String name, String expected) {
    String problem = Names.bucketNameProblem(name);
    assertNotNull(problem, name);
    assertTrue(problem.contains(expected), problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "dir/", "dir/file.txt", "a/b/c", ".hidden", "a/.x/..y", "日本/ファイル"})
  void key_valid(String key) {
    assertNull(Names.keyProblem(key));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/abs|start with '/'",
        "a//b|'//'",
        "./a|'.' path component",
        "a/./b|'.' path component",
        "a/..|'..' path component",
        "..|'..' path component",
      })
  void key_invalid_namesTheRule(String key, String expected) {
    String problem = Names.keyProblem(key);
    assertNotNull(problem, key);
    assertTrue(problem.contains(expected), problem);
  }

  @org.junit.jupiter.api.Test
  void key_emptyNulLongAndBadSurrogate_areRefused() {
    assertNotNull(Names.keyProblem(""));
    assertTrue(Names.keyProblem("a\0b").contains("NUL"));
    assertNull(Names.keyProblem("x".repeat(1024)));
    assertTrue(Names.keyProblem("x".repeat(1025)).contains("1025 bytes"));
    assertTrue(Names.keyProblem("é".repeat(513)).contains("1026 bytes"));
    assertTrue(Names.keyProblem("a\uD800b").contains("surrogate"));
  }
}
