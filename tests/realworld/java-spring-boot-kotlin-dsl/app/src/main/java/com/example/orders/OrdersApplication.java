package com.example.orders;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

@SpringBootApplication
@RestController
public class OrdersApplication {

	record Order(long id, String item) {}

	public static void main(String[] args) {
		SpringApplication.run(OrdersApplication.class, args);
	}

	@GetMapping("/orders")
	public Flux<Order> orders() {
		return Flux.fromIterable(List.of(new Order(1, "keyboard"), new Order(2, "monitor")));
	}

}
