package example;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class BannerTest {
    @Test
    public void framesATitle() {
        assertEquals("======\n| Ab |\n======", Banner.banner("ab"));
    }
}
