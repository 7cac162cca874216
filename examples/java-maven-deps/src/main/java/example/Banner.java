package example;

import org.apache.commons.lang3.StringUtils;
import org.apache.commons.text.WordUtils;

/** Prints a framed, title-cased banner of its arguments (or of its own name). */
public final class Banner {
    private Banner() {}

    static String banner(String text) {
        String title = WordUtils.capitalizeFully(text);
        String rule = StringUtils.repeat('=', title.length() + 4);
        return rule + "\n| " + title + " |\n" + rule;
    }

    public static void main(String[] args) {
        String text = args.length > 0 ? String.join(" ", args) : "hello from java maven deps";
        System.out.println(banner(text));
    }
}
