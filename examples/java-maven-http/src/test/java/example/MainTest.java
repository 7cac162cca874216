package example;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class MainTest {
    @Test
    public void greetsAtTheRoot() {
        assertEquals("hello from java-maven-http\n", Main.greeting("/"));
    }

    @Test
    public void greetsByName() {
        assertEquals("hello from java-maven-http ada\n", Main.greeting("/ada"));
    }
}
