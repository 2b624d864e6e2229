package io.agentainer.flow.sdk.example.workflows;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counting words as the example agent's {@code wordcount} does: runs of ASCII letters, lower-cased.
 */
final class Words {

  private Words() {}

  static Map<String, Long> count(String text) {
    Map<String, Long> words = new TreeMap<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ' ';
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        word.append(Character.toLowerCase(c));
      } else if (word.length() > 0) {
        words.merge(word.toString(), 1L, Long::sum);
        word.setLength(0);
      }
    }
    return words;
  }

  static Map<String, Long> merge(Iterable<Map<String, Long>> counts) {
    Map<String, Long> total = new TreeMap<>();
    counts.forEach(c -> c.forEach((w, n) -> total.merge(w, n, Long::sum)));
    return total;
  }
}
